#include "store/model_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/file_util.h"
#include "core/sha256.h"
#include "gguf/gguf_writer.h"
#include "store/model_name.h"
#include "store/model_ref.h"
#include "store/store_test_dir.h"

namespace inhouse::store {
namespace {

namespace fs = std::filesystem;
using testing::StoreTest;

TEST(ModelName, AcceptsStoreNames) {
    for (const char* name : {"smollm2", "gemma3-270m", "llama-3.1-8b", "qwen2.5_7b", "7b"}) {
        EXPECT_TRUE(validate_model_name(name).ok()) << name;
    }
}

TEST(ModelName, RefusesPathsAndOddNames) {
    for (const char* name : {"", "../../etc/passwd", "..", "a/b", "A", ".hidden", "-x", "a b",
                             "a..b", "name\n", "ümlaut"}) {
        const auto status = validate_model_name(name);
        ASSERT_FALSE(status.ok()) << name;
        EXPECT_NE(status.error().to_string().find("invalid model name"), std::string::npos);
    }
    EXPECT_FALSE(validate_model_name(std::string(65, 'a')).ok());
}

// Writes a small valid GGUF into `path` and returns its manifest for `name`.
Manifest make_model_file(const std::string& path, const std::string& name) {
    gguf::GgufWriter writer;
    writer.add_string("general.architecture", "toy");
    writer.add_string("general.name", name);
    EXPECT_TRUE(writer.write(path).ok());
    const auto digest = sha256_file_hex(path);
    EXPECT_TRUE(digest.ok());
    return Manifest{.name = name,
                    .file = *digest + ".gguf",
                    .sha256 = *digest,
                    .size_bytes = fs::file_size(path),
                    .architecture = "toy",
                    .quantization = "F32",
                    .source = "test",
                    .original_file_name = "toy.gguf"};
}

TEST_F(StoreTest, RegisteredModelsAreListedFoundAndResolved) {
    auto store = ModelStore::open(path("home"));
    ASSERT_TRUE(store.ok());
    const auto manifest = make_model_file(path("toy.gguf"), "toy");
    ASSERT_TRUE(store->register_model(manifest, path("toy.gguf")).ok());
    EXPECT_FALSE(fs::exists(path("toy.gguf"))) << "the verified file is moved, not copied";

    const auto listed = store->list();
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].name, "toy");
    EXPECT_EQ(listed[0].sha256, manifest.sha256);
    ASSERT_TRUE(store->find("toy").has_value());
    EXPECT_FALSE(store->find("other").has_value());

    const auto resolved = resolve_model(*store, "toy");
    ASSERT_TRUE(resolved.ok());
    EXPECT_EQ(resolved->path, path("home") + "/models/" + manifest.sha256 + ".gguf");
    EXPECT_TRUE(fs::exists(resolved->path));
}

TEST_F(StoreTest, ResolvingTakesPathsAsPathsAndNamesOnlyFromManifests) {
    auto store = ModelStore::open(path("home"));
    ASSERT_TRUE(store.ok());
    make_model_file(path("loose.gguf"), "loose");
    const auto by_path = resolve_model(*store, path("loose.gguf"));
    ASSERT_TRUE(by_path.ok());
    EXPECT_EQ(by_path->path, path("loose.gguf"));

    const auto missing_file = resolve_model(*store, path("absent.gguf"));
    ASSERT_FALSE(missing_file.ok());
    EXPECT_NE(missing_file.error().to_string().find("does not exist"), std::string::npos);

    const auto unknown = resolve_model(*store, "smollm2");
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().to_string().find("inhouse pull smollm2"), std::string::npos);

    const auto traversal = resolve_model(*store, "..");
    ASSERT_FALSE(traversal.ok());
    EXPECT_NE(traversal.error().to_string().find("invalid model name"), std::string::npos);
}

TEST_F(StoreTest, RemoveDeletesManifestAndFile) {
    auto store = ModelStore::open(path("home"));
    ASSERT_TRUE(store.ok());
    const auto manifest = make_model_file(path("toy.gguf"), "toy");
    ASSERT_TRUE(store->register_model(manifest, path("toy.gguf")).ok());
    ASSERT_TRUE(store->remove("toy").ok());
    EXPECT_TRUE(store->list().empty());
    EXPECT_FALSE(fs::exists(store->model_path(manifest)));
    const auto again = store->remove("toy");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code(), ErrorCode::NotFound);
}

TEST_F(StoreTest, TwoNamesForOneFileKeepTheFileUntilTheLastGoes) {
    auto store = ModelStore::open(path("home"));
    ASSERT_TRUE(store.ok());
    auto first = make_model_file(path("a.gguf"), "same");
    ASSERT_TRUE(store->register_model(first, path("a.gguf")).ok());
    make_model_file(path("b.gguf"), "same");
    auto second = first;
    second.name = "alias";
    ASSERT_TRUE(store->register_model(second, path("b.gguf")).ok());
    ASSERT_TRUE(store->remove("same").ok());
    EXPECT_TRUE(fs::exists(store->model_path(first)));
    ASSERT_TRUE(store->remove("alias").ok());
    EXPECT_FALSE(fs::exists(store->model_path(first)));
}

TEST_F(StoreTest, ATamperedManifestIsIgnored) {
    auto store = ModelStore::open(path("home"));
    ASSERT_TRUE(store.ok());
    const std::string evil = R"({"name": "evil", "file": "../../../etc/passwd",
                                 "sha256": "0000000000000000000000000000000000000000000000000000000000000000"})";
    ASSERT_TRUE(write_file_atomic(store->manifests_dir() + "/evil.json", evil).ok());
    ASSERT_TRUE(write_file_atomic(store->manifests_dir() + "/broken.json", "{not json").ok());
    EXPECT_TRUE(store->list().empty());
    EXPECT_FALSE(store->find("evil").has_value());
}

}  // namespace
}  // namespace inhouse::store

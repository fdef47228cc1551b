#include "compose/dotenv.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

using namespace berth::compose;
namespace fs = std::filesystem;

namespace {

const Environment kNoEnv;

EnvPairs parse(std::string_view text, const Environment& env = kNoEnv) {
    auto r = parse_dotenv(text, lookup_in(env));
    EXPECT_TRUE(r.ok()) << r.error().message();
    return r.ok() ? *r : EnvPairs{};
}

std::string error_of(std::string_view text) {
    auto r = parse_dotenv(text, lookup_in(kNoEnv));
    return r.ok() ? "no error" : r.error().message();
}

std::string value_of(std::string_view text, const Environment& env = kNoEnv) {
    EnvPairs pairs = parse(text, env);
    return pairs.size() == 1 ? pairs[0].second : "<" + std::to_string(pairs.size()) + " keys>";
}

class TempDir {
  public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "berth-dotenv-test-XXXXXX").string();
        path_ = mkdtemp(tmpl.data());
    }
    ~TempDir() { fs::remove_all(path_); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path_ + "/" + name) << text;
        return path_ + "/" + name;
    }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

}  // namespace

TEST(Dotenv, AssignmentForms) {
    EnvPairs pairs = parse("A=1\nB : 2\nexport C=3\n  D = spaced value  \nE=\n");
    EnvPairs want = {{"A", "1"}, {"B", "2"}, {"C", "3"}, {"D", "spaced value"}, {"E", ""}};
    EXPECT_EQ(pairs, want);
}

TEST(Dotenv, LaterDefinitionsReplaceEarlierOnesInPlace) {
    EnvPairs want = {{"A", "3"}, {"B", "2"}};
    EXPECT_EQ(parse("A=1\nB=2\nA=3\n"), want);
}

TEST(Dotenv, Comments) {
    EXPECT_EQ(value_of("# top\nA=b # inline\n"), "b");
    EXPECT_EQ(value_of("A=b#not-a-comment"), "b#not-a-comment");
    EXPECT_EQ(value_of("A=b\t#tab-is-not-enough"), "b\t#tab-is-not-enough");
    EXPECT_EQ(value_of("A=\"b # kept\" # dropped"), "b # kept");
}

TEST(Dotenv, SingleQuotesAreLiteral) {
    EXPECT_EQ(value_of("A='$HOME \\n'", {{"HOME", "/root"}}), "$HOME \\n");
    EXPECT_EQ(value_of("A='it\\'s'"), "it's");
}

TEST(Dotenv, DoubleQuoteEscapes) {
    EXPECT_EQ(value_of("A=\"a\\tb\\nc\\\\d\\\"e\""), "a\tb\nc\\d\"e");
    EXPECT_EQ(value_of("A=\"\\0101\\0102\""), "AB");
    EXPECT_EQ(value_of("A=\"\\0377\""), "\xc3\xbf");  // a code point, written as UTF-8
    EXPECT_EQ(value_of("A=\"\\0400|\\08|\\0\""), "\\400|\\8|\\");
    EXPECT_EQ(value_of("A=\"\\x41\\u00e9\\c\\ \""), "\\x41\\u00e9\\c\\ ");
    EXPECT_EQ(value_of("A=\"cost: \\$5\""), "cost: $5");
}

TEST(Dotenv, UnquotedValuesKeepBackslashes) {
    EXPECT_EQ(value_of("A=a\\tb"), "a\\tb");
}

TEST(Dotenv, MultiLineQuotedValues) {
    EnvPairs want = {{"A", "one\ntwo"}, {"B", "x"}};
    EXPECT_EQ(parse("A=\"one\ntwo\"\nB='x'\n"), want);
}

TEST(Dotenv, WindowsLineEndings) {
    EnvPairs want = {{"A", "1"}, {"B", "2"}};
    EXPECT_EQ(parse("A=1\r\nB=\"2\"\r\n"), want);
}

TEST(Dotenv, ByteOrderMarkIsSkipped) {
    EXPECT_EQ(value_of("\xEF\xBB\xBF"
                       "A=1"),
              "1");
}

TEST(Dotenv, KeysMayHoldPunctuationAndLetters) {
    EnvPairs want = {{"a.b", "1"}, {"c-d", "2"}, {"e[0]", "3"}, {"\xc3\xa1rv\xc3\xadz", "4"}};
    EXPECT_EQ(parse("a.b=1\nc-d=2\ne[0]=3\n\xc3\xa1rv\xc3\xadz=4\n"), want);
}

TEST(Dotenv, KeysStartingWithADigitAreDropped) {
    EnvPairs want = {{"A", "1"}};
    EXPECT_EQ(parse("456 = ABC\nA=1\n"), want);
}

TEST(Dotenv, BareKeysInheritFromLookup) {
    Environment env = {{"SET", "v"}};
    EnvPairs want = {{"SET", "v"}, {"B", "2"}};
    EXPECT_EQ(parse("SET\nUNSET\nB=2\n", env), want);
}

TEST(Dotenv, BareKeyWithoutFinalNewlineIsReadAsAValue) {
    // compose-go only sees a bare key when a line break ends it; the last line of a file
    // without one is a value for the empty key. Kept for the same result as docker compose.
    EnvPairs want = {{"", "LAST"}};
    EXPECT_EQ(parse("LAST", {{"LAST", "x"}}), want);
}

TEST(Dotenv, ExpansionConsultsLookupBeforeEarlierKeys) {
    Environment env = {{"A", "os"}};
    EnvPairs want = {{"A", "file"}, {"B", "os"}, {"C", "file-b"}};
    EXPECT_EQ(parse("A=file\nB=$A\nC=${C:-file}-b\n", env), want);
    EXPECT_EQ(value_of("A=\"${X:-x}${X-y}\""), "xy");
}

TEST(Dotenv, TemplateErrorsAreReported) {
    EXPECT_EQ(error_of("A=${X:?need X}"), "required variable X is missing a value: need X");
}

TEST(Dotenv, ErrorsCarryLineNumbers) {
    EXPECT_EQ(error_of("# c\nA=\"x\ny\"\nBAD KEY=1\n"), "line 4: key cannot contain a space");
    EXPECT_EQ(error_of("A=1\nB$=2"),
              "line 2: unexpected character \"$\" in variable name \"B$=2\"");
    EXPECT_EQ(error_of("A=1\nB=\"open\nC=2"), "line 3: unterminated quoted value \"open");
}

TEST(Dotenv, TextAfterAClosingQuoteStartsTheNextStatement) {
    EnvPairs want = {{"A", "x"}, {"B", "2"}};
    EXPECT_EQ(parse("A=\"x\"B=2"), want);
}

TEST(ReadEnvFiles, LaterFilesOverrideAndOsEnvSteersReferences) {
    TempDir dir;
    std::string base =
        dir.write("base.env", "HOST=localhost\nURL=\"http://${HOST}\"\nONLY_BASE=1\n");
    std::string over = dir.write("over.env", "HOST=dev\nURL=\"http://${HOST}\"\n");
    Environment want = {{"HOST", "dev"}, {"URL", "http://dev"}, {"ONLY_BASE", "1"}};
    EXPECT_EQ(*read_env_files({base, over}, {}), want);
    want["URL"] = "http://shell";
    EXPECT_EQ(*read_env_files({base, over}, {{"HOST", "shell"}}), want);
}

TEST(ReadEnvFiles, ReferencesSeeTheCurrentFilesOwnRedefinitions) {
    TempDir dir;
    std::string a = dir.write("a.env", "X=a\n");
    std::string b = dir.write("b.env", "X=b\nY=$X\n");
    EXPECT_EQ(read_env_files({a, b}, {})->at("Y"), "b");
}

TEST(ReadEnvFiles, ErrorsNameTheFile) {
    TempDir dir;
    std::string bad = dir.write("bad.env", "A=1\nNO GOOD=2\n");
    auto r = read_env_files({bad}, {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message(),
              "failed to read " + bad + ": line 2: key cannot contain a space");

    auto missing = read_env_files({dir.path() + "/nope.env"}, {});
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().message(), "couldn't find env file: " + dir.path() + "/nope.env");

    fs::create_directory(dir.path() + "/.env");
    auto directory = read_env_files({dir.path() + "/.env/"}, {});
    ASSERT_FALSE(directory.ok());
    EXPECT_EQ(directory.error().message(), dir.path() + "/.env is a directory");
}

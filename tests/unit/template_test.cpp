#include "compose/template.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace berth::compose;

namespace {

const Environment kEnv = {{"FOO", "first"}, {"BAR", ""}, {"N", "7"}};

std::string expand(std::string_view text, const Environment& env = kEnv) {
    auto r = substitute(text, lookup_in(env));
    return r.ok() ? *r : "ERROR: " + r.error().message();
}

}  // namespace

TEST(Template, PlainAndBracedNames) {
    EXPECT_EQ(expand("$FOO"), "first");
    EXPECT_EQ(expand("${FOO}"), "first");
    EXPECT_EQ(expand("a${FOO}b$N"), "afirstb7");
    EXPECT_EQ(expand("$FOO-bar"), "first-bar");  // an unbraced name stops at '-'
    EXPECT_EQ(expand("$FOO.txt"), "first.txt");
    EXPECT_EQ(expand("${MISSING}|$MISSING"), "|");
}

TEST(Template, NamesAreCaseSensitiveButLowerCaseIsValid) {
    Environment env = {{"foo", "low"}};
    EXPECT_EQ(expand("$foo/${foo}/$FOO", env), "low/low/");
}

TEST(Template, TextThatIsNotATemplateStays) {
    EXPECT_EQ(expand("a $ string"), "a $ string");
    EXPECT_EQ(expand("^REGEX$"), "^REGEX$");
    EXPECT_EQ(expand("$}"), "$}");
    EXPECT_EQ(expand("$1 $-x $\xc3\xa9"), "$1 $-x $\xc3\xa9");
}

TEST(Template, DollarDollarEscapes) {
    EXPECT_EQ(expand("$${FOO}"), "${FOO}");
    EXPECT_EQ(expand("$$FOO"), "$FOO");
    EXPECT_EQ(expand("$$$FOO"), "$first");
}

TEST(Template, Defaults) {
    EXPECT_EQ(expand("${MISSING:-d}"), "d");
    EXPECT_EQ(expand("${MISSING-d}"), "d");
    EXPECT_EQ(expand("${BAR:-d}"), "d");
    EXPECT_EQ(expand("${BAR-d}"), "");
    EXPECT_EQ(expand("${FOO:-d}"), "first");
    EXPECT_EQ(expand("${MISSING:-}"), "");
    EXPECT_EQ(expand("${MISSING:-{\"json\":1}}"), "{\"json\":1}");
}

TEST(Template, Alternatives) {
    EXPECT_EQ(expand("${FOO:+alt}"), "alt");
    EXPECT_EQ(expand("${FOO+alt}"), "alt");
    EXPECT_EQ(expand("${BAR:+alt}"), "");
    EXPECT_EQ(expand("${BAR+alt}"), "alt");
    EXPECT_EQ(expand("${MISSING+alt}"), "");
}

TEST(Template, RequiredVariables) {
    EXPECT_EQ(expand("${FOO:?e}"), "first");
    EXPECT_EQ(expand("${BAR?e}"), "");
    EXPECT_EQ(expand("${BAR:?must be set}"),
              "ERROR: required variable BAR is missing a value: must be set");
    EXPECT_EQ(expand("${MISSING?}"), "ERROR: required variable MISSING is missing a value");
    EXPECT_EQ(expand("x ${MISSING:?need $FOO}"),
              "ERROR: required variable MISSING is missing a value: need first");
}

TEST(Template, FirstOperatorWins) {
    EXPECT_EQ(expand("${MISSING-myerror?msg}"), "myerror?msg");
    EXPECT_EQ(expand("${MISSING?bar-baz}"),
              "ERROR: required variable MISSING is missing a value: bar-baz");
    EXPECT_EQ(expand("${BAR:-/non:-alphanumeric}"), "/non:-alphanumeric");
}

TEST(Template, NestedExpansion) {
    EXPECT_EQ(expand("${A:-${B:-${C:-deep}}}"), "deep");
    EXPECT_EQ(expand("${A:-${BAR:-x}_test_${BAR:-y}}"), "x_test_y");
    EXPECT_EQ(expand("${BAR+$FOO ${FOO:+second}}"), "first second");
    EXPECT_EQ(expand("${X:-${FOO}} and ${N}"), "first and 7");
}

TEST(Template, BranchesNotTakenAreNotEvaluated) {
    std::set<std::string> asked;
    Lookup recording = [&asked](const std::string& name) -> std::optional<std::string> {
        asked.insert(name);
        if (name == "A") return "value";
        return std::nullopt;
    };
    ASSERT_TRUE(substitute("${UNSET:+${B}}${A?${C}}${A:-${D}}", recording).ok());
    EXPECT_EQ(asked, (std::set<std::string>{"UNSET", "A"}));
    // An error inside an unused branch is not reported either.
    EXPECT_EQ(*substitute("${A:-${}", recording), "value");
}

TEST(Template, InvalidTemplatesQuoteTheTemplate) {
    EXPECT_EQ(expand("${"), "ERROR: Invalid template: \"${\"");
    EXPECT_EQ(expand("a ${ foo}"), "ERROR: Invalid template: \"a ${ foo}\"");
    EXPECT_EQ(expand("${foo!}"), "ERROR: Invalid template: \"${foo!}\"");
    // Go's quoting: escapes for quotes and control characters.
    EXPECT_EQ(expand("\"${}\"\t"), "ERROR: Invalid template: \"\\\"${}\\\"\\t\"");
}

TEST(Template, InvalidTemplateInsideADefaultNamesTheDefault) {
    EXPECT_EQ(expand("${MISSING:-${}}"), "ERROR: Invalid template: \"${}\"");
}

TEST(Template, TextAfterTheFirstBracedOperatorIsExpandedOnItsOwn) {
    // The braced form runs to the last '}' of the line before it is cut at the balancing brace,
    // so an error after it names that remainder, as compose does.
    EXPECT_EQ(expand("${MISSING:-x} ${ }"), "ERROR: Invalid template: \" ${ }\"");
}

TEST(Template, BracedOperatorsDoNotCrossLines) {
    EXPECT_EQ(expand("${FOO:-x\n}"), "ERROR: Invalid template: \"${FOO:-x\\n}\"");
    EXPECT_EQ(expand("${FOO}\n${N}"), "first\n7");
}

TEST(Template, BraceAfterOpeningBraceIsSkippedLikeCompose) {
    // "{}" inside a default does not close the expression.
    EXPECT_EQ(expand("${MISSING:-{}x}"), "{}x");
}

TEST(Template, OperatorChoice) {
    EXPECT_EQ(operator_for("V:?a?b"), ":?");
    EXPECT_EQ(operator_for("V?a:?b"), "?");
    EXPECT_EQ(operator_for("V:-a"), ":-");
    EXPECT_EQ(operator_for("V-a:-b"), "-");
    EXPECT_EQ(operator_for("V:+a:?b"), ":+");
    EXPECT_EQ(operator_for("V+a?b"), "+");
    EXPECT_EQ(operator_for("V"), "");
}

TEST(Template, ExpansionReportsTheFailureParts) {
    Expansion e = expand_template("${X:?why}", lookup_in(kEnv));
    ASSERT_TRUE(e.failure.has_value());
    EXPECT_EQ(e.failure->kind, TemplateFailure::Kind::MissingRequired);
    EXPECT_EQ(e.failure->variable, "X");
    EXPECT_EQ(e.failure->reason, "why");
}

TEST(Template, ManyExpressionsOnOneLine) {
    std::string line;
    std::string want;
    for (int i = 0; i < 20000; ++i) {
        line += "${MISSING:-x}${FOO} ";
        want += "xfirst ";
    }
    EXPECT_EQ(expand(line), want);
}

TEST(Template, DeepNestingIsRefusedNotFatal) {
    auto nested = [](int depth) {
        std::string t;
        for (int i = 0; i < depth; ++i) t += "${MISSING:-";
        t += "end";
        t += std::string(depth, '}');
        return t;
    };
    EXPECT_EQ(expand(nested(200)), "end");
    EXPECT_EQ(expand(nested(100000)).rfind("ERROR: template nested more than 256 levels deep", 0),
              0u);
}

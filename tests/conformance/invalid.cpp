// Family "invalid": every file compose-go must reject, rejected by berth with the expected text and
// with a file:line:col location (compose-go/invalid/INDEX.yaml).
#include <regex>

#include "harness.hpp"
#include "loader_support.hpp"

using namespace berth;
using namespace berth::conformance;

namespace {

const std::vector<KnownMiss> kKnownMisses = {
    {"invalid/TestInvalidProjectNameType-1.yaml",
     "upstream loads the file under the test helper's name filename0.yml and prefixes \"validating "
     "filename0.yml: \"; berth reports the same problem as <file>:3:7: name must be a string"},
    {"invalid/TestLoadWithResourcesCycle-1.yaml",
     "extends through the `remote:` test resource loader; berth reads local files only, so it "
     "reports the "
     "missing file instead of the remote cycle"},
};

// The corpus files carry two header comment lines the upstream inline YAML did not have, so line
// numbers inside messages ("line 6: ... at line 5") shift; compare them with the numbers masked.
std::string mask_lines(const std::string& s) {
    static const std::regex line_no(R"(line [0-9]+)");
    return std::regex_replace(s, line_no, "line N");
}

std::string unescape_quotes(std::string s) {
    for (std::size_t at; (at = s.find("\\\"")) != std::string::npos;) s.replace(at, 2, "\"");
    return s;
}

compose::LoadOptions options_for(const std::string& file) {
    compose::LoadOptions o;
    o.files = {file};
    o.cwd = corpus("compose-go");
    return o;
}

bool matches(const compose::Node& c, const std::string& error) {
    std::string body = without_location(error);
    if (const auto* exact = c.find("expect_error_exact")) return body == exact->text;
    if (const auto* prefix = c.find("expect_error_prefix")) return body.rfind(prefix->text, 0) == 0;
    const auto* contains = c.find("expect_error_contains");
    if (contains == nullptr) return false;
    std::string want = mask_lines(unescape_quotes(contains->text));
    // "line 6: ..." in the Go message is the location berth already prints as file:6:col.
    const std::string line_prefix = "line N: ";
    if (want.rfind(line_prefix, 0) == 0) want = want.substr(line_prefix.size());
    return mask_lines(body).find(want) != std::string::npos;
}

Outcome run_case(const std::string& file) {
    if (file.find("(inline)") != std::string::npos) {
        compose::LoadOptions o;
        o.files = {"-"};
        o.stdin_content = "services: {foo: {image: busybox}}\n";
        o.project_name = "My Project";
        o.cwd = corpus("compose-go");
        return run_load(o);
    }
    std::string path = corpus("compose-go/" + file);
    if (file == "invalid/TestLoadEmptyContent_MissingProject-1.yaml") {
        // Upstream loads this with no working directory at all; reading it from stdin in "/" is the
        // same situation: no name anywhere.
        compose::LoadOptions o;
        o.files = {"-"};
        o.stdin_content = read_file(path).value();
        o.cwd = "/";
        return run_load(o);
    }
    return run_load(options_for(path));
}

}  // namespace

TEST(Conformance, Invalid) {
    compose::Node index = read_yaml(corpus("compose-go/invalid/INDEX.yaml"));
    Family family("invalid", kKnownMisses);
    for (const auto& c : index.find("cases")->items) {
        std::string file = c.find("file")->text;
        Outcome out = run_case(file);
        if (out.ok) {
            family.fail(file, "loaded without error");
        } else if (!has_location(out.error)) {
            family.fail(file, "error has no file:line:col: " + out.error);
        } else {
            family.check(matches(c, out.error), file, "unexpected error: " + out.error);
        }
    }
    family.finish();
}

// Family "full-example": compose-go's full-example.yml must print exactly as
// expected-normalized.yaml, loaded as upstream's TestFullExample does (its environment, no
// consistency check, no default network or resource names: upstream compares the project before
// that normalization).
#include "harness.hpp"
#include "loader_support.hpp"

using namespace berth;
using namespace berth::conformance;

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size())
        s.replace(at, from.size(), to);
    return s;
}

}  // namespace

TEST(Conformance, FullExample) {
    std::string dir = corpus("compose-go/full-example");
    const std::string home = "/home/berth-conformance";
    compose::LoadOptions o;
    o.files = {dir + "/full-example.yml"};
    o.cwd = dir;
    o.os_env = {{"HOME", home}, {"BAR", "this is a secret"}, {"QUX", "qux_from_environment"}};
    o.normalize = false;
    o.consistency = false;
    Outcome out = run_load(o);
    Family family("full-example", {});
    if (!out.ok) {
        family.fail("full-example.yml", out.error);
    } else {
        std::string expected = read_file(dir + "/expected-normalized.yaml").value();
        expected = replace_all(replace_all(expected, "/WORKDIR", dir), "/HOME", home);
        std::string actual = compose::emit_yaml(out.project.model);
        EXPECT_EQ(actual, expected);
        family.check(actual == expected, "full-example.yml", "output differs (see the diff above)");
    }
    family.finish();
}

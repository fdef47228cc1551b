// Family "dotenv": compose-go's .env vectors (dotenv-cases.yaml with the fixture files of
// dotenv/), run against compose::parse_dotenv and compose::read_env_files.
#include "compose/dotenv.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "harness.hpp"

namespace berth::conformance {

namespace {

using compose::Environment;
using compose::Node;
namespace fs = std::filesystem;

std::string field(const Node& c, std::string_view key) {
    const Node* n = c.find(key);
    return n != nullptr && n->is_scalar() ? n->text : std::string();
}

Environment env_of(const Node* map) {
    Environment env;
    if (map == nullptr || !map->is_map()) return env;
    for (const auto& e : map->entries) env[e.key] = e.value.is_scalar() ? e.value.text : "";
    return env;
}

// A scratch directory for fixtures the vectors describe but do not ship.
class TempDir {
  public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "berth-dotenv-XXXXXX").string();
        path_ = mkdtemp(tmpl.data()) != nullptr ? tmpl : "";
    }
    ~TempDir() {
        std::error_code ec;
        if (!path_.empty()) fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string write(const std::string& name, const std::string& text) const {
        std::string p = path_ + "/" + name;
        std::ofstream(p) << text;
        return p;
    }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

// Compares an outcome with a case's expect / expect_absent / exact_size / error fields.
std::string mismatch(const Node& c, const Result<Environment>& got) {
    const Node* error = c.find("error");
    const Node* suffix = c.find("error_suffix");
    bool wants_error = (error != nullptr && error->text != "false") || suffix != nullptr;
    if (!got.ok()) {
        const std::string& msg = got.error().message();
        if (!wants_error) return "error: " + msg;
        if (suffix != nullptr && !msg.ends_with(suffix->text)) return "error: " + msg;
        bool any = error == nullptr || error->text == "true";
        if (!any && msg.find(error->text) == std::string::npos) return "error: " + msg;
        return "";
    }
    if (wants_error) return "no error";
    Environment want = env_of(c.find("expect"));
    for (const auto& [key, value] : want) {
        auto it = got->find(key);
        if (it == got->end()) return key + " missing";
        if (it->second != value) return key + "=\"" + it->second + "\", want \"" + value + "\"";
    }
    if (const Node* absent = c.find("expect_absent")) {
        for (const Node& key : absent->items) {
            if (got->count(key.text) != 0) return key.text + " present";
        }
    }
    bool exact = c.find("exact_size") != nullptr && field(c, "exact_size") == "true";
    if (exact && got->size() != want.size()) return std::to_string(got->size()) + " keys";
    return "";
}

Result<Environment> as_env(const Result<compose::EnvPairs>& pairs) {
    if (!pairs.ok()) return pairs.error();
    Environment env;
    for (const auto& [key, value] : *pairs) env[key] = value;
    return env;
}

// The OS environment a "files" case names: "X with OS env K=V", "... with empty OS env", or
// "... with same OS env" (the previous case's).
Environment os_env_for(const std::string& name, const Environment& previous) {
    if (name.find("with same OS env") != std::string::npos) return previous;
    std::string marker = "with OS env ";
    std::size_t at = name.find(marker);
    if (at == std::string::npos) return {};
    std::string assignment = name.substr(at + marker.size());
    std::size_t eq = assignment.find('=');
    return {{assignment.substr(0, eq), assignment.substr(eq + 1)}};
}

Result<Environment> run_file_case(const std::string& name, const Node& c,
                                  const Environment& os_env) {
    std::string dir = corpus("compose-go/dotenv");
    if (name.starts_with("fixtures/")) return compose::read_env_files({dir + "/"}, os_env);
    if (name.starts_with(".env that is a directory")) {
        TempDir tmp;
        fs::create_directory(tmp.path() + "/.env");
        return compose::read_env_files({tmp.path() + "/.env"}, os_env);
    }
    if (c.find("preset") != nullptr) {
        // godotenv.Load never overrides a variable the process already has; compose gives the
        // shell the same precedence over .env when it builds the interpolation environment.
        Environment preset = env_of(c.find("preset"));
        auto read = compose::read_env_files({dir + "/" + field(c, "file")}, preset);
        if (!read.ok()) return read;
        for (const auto& [key, value] : preset) (*read)[key] = value;
        return read;
    }
    std::string file = name.substr(0, name.find(' '));
    return compose::read_env_files({dir + "/" + file}, os_env);
}

void run_files(Family& f, const Node& doc) {
    Environment previous;
    for (const auto& entry : doc.find("files")->entries) {
        Environment os_env = os_env_for(entry.key, previous);
        std::string why = mismatch(entry.value, run_file_case(entry.key, entry.value, os_env));
        f.check(why.empty(), "files/" + entry.key, why);
        previous = os_env;
    }
}

void run_multiple_files(Family& f, const Node& doc) {
    const Node& m = *doc.find("multiple_files");
    TempDir tmp;
    std::string base = tmp.write("base.env", field(m, "base"));
    std::string override_file = tmp.write("override.env", field(m, "override"));
    for (const auto& entry : m.entries) {
        if (!entry.key.starts_with("with_")) continue;
        Environment os_env;
        std::string marker = "with_os_env_";
        if (entry.key.starts_with(marker)) {
            std::string assignment = entry.key.substr(marker.size());
            os_env[assignment.substr(0, assignment.find('='))] =
                assignment.substr(assignment.find('=') + 1);
        }
        auto got = compose::read_env_files({base, override_file}, os_env);
        Environment want = env_of(&entry.value);
        bool ok = got.ok() && *got == want;
        f.check(ok, "multiple_files/" + entry.key,
                got.ok() ? "different values" : got.error().message());
    }
}

void run_parse(Family& f, const Node& doc) {
    const Node& cases = *doc.find("parse");
    for (std::size_t i = 0; i < cases.items.size(); ++i) {
        const Node& c = cases.items[i];
        Environment lookup = env_of(c.find("lookup"));
        auto got = as_env(compose::parse_dotenv(field(c, "in"), compose::lookup_in(lookup)));
        std::string why = mismatch(c, got);
        f.check(why.empty(), "parse[" + std::to_string(i) + "] " + field(c, "in"), why);
    }
}

void run_ignored_lines(Family& f, const Node& doc) {
    const Node& lines = *doc.find("ignored_lines");
    Environment none;
    for (std::size_t i = 0; i < lines.items.size(); ++i) {
        auto got = compose::parse_dotenv(lines.items[i].text, compose::lookup_in(none));
        bool ok = got.ok() && got->empty();
        f.check(ok, "ignored_lines[" + std::to_string(i) + "]",
                got.ok() ? "produced keys" : got.error().message());
    }
}

}  // namespace

TEST(Conformance, Dotenv) {
    Family family("dotenv", {});
    Node doc = read_yaml(corpus("compose-go/dotenv-cases.yaml"));
    run_files(family, doc);
    run_multiple_files(family, doc);
    run_parse(family, doc);
    run_ignored_lines(family, doc);
    family.finish();
}

}  // namespace berth::conformance

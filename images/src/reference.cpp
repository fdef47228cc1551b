#include "images/reference.hpp"

#include <algorithm>
#include <regex>

namespace berth::images {
namespace {

// The grammar, transcribed from distribution/reference regexp.go.
const std::string kDomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const std::string kDomain = "(?:(?:" + kDomainComponent + "(?:\\." + kDomainComponent +
                            ")*)|\\[(?:[a-fA-F0-9:]+)\\])(?::[0-9]+)?";
const std::string kPathComponent = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const std::string kName = "(?:" + kDomain + "/)?" + kPathComponent + "(?:/" + kPathComponent + ")*";
const std::string kTag = "[\\w][\\w.-]{0,127}";
const std::string kDigest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

const std::regex& reference_regex() {
    static const std::regex re("^(" + kName + ")(?::(" + kTag + "))?(?:@(" + kDigest + "))?$");
    return re;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool is_hex(const std::string& s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Error format_error(const std::string& detail = "") {
    return Error(detail.empty() ? "invalid reference format"
                                : "invalid reference format: " + detail);
}

// splitDockerDomain: the first component is a registry only when it looks like a host.
void split_domain(const std::string& name, std::string& domain, std::string& remainder) {
    auto slash = name.find('/');
    std::string first = slash == std::string::npos ? "" : name.substr(0, slash);
    if (slash == std::string::npos || (first.find_first_of(".:") == std::string::npos &&
                                       first != "localhost" && lower(first) == first)) {
        domain = "docker.io";
        remainder = name;
    } else {
        domain = first;
        remainder = name.substr(slash + 1);
    }
    if (domain == "index.docker.io") domain = "docker.io";
    if (domain == "docker.io" && remainder.find('/') == std::string::npos) {
        remainder = "library/" + remainder;
    }
}

Result<void> check_digest(const std::string& digest) {
    auto colon = digest.find(':');
    std::string algo = digest.substr(0, colon), hex = digest.substr(colon + 1);
    if (algo != "sha256" && algo != "sha512") return Error("unsupported digest algorithm");
    size_t want = algo == "sha256" ? 64 : 128;
    if (hex.size() != want || !is_hex(hex)) return Error("invalid checksum digest length");
    return {};
}

// Parse (not normalized): the full grammar match plus the length and digest checks.
Result<Reference> parse_full(const std::string& s) {
    std::smatch m;
    if (!std::regex_match(s, m, reference_regex())) {
        if (s.empty()) return Error("repository name must have at least one component");
        std::string low = lower(s);
        if (std::regex_match(low, reference_regex())) {
            return Error("repository name must be lowercase");
        }
        return format_error();
    }
    std::string name = m[1];
    if (name.size() > 255) return Error("repository name must not be more than 255 characters");
    Reference r;
    split_domain(name, r.domain, r.path);
    r.tag = m[2];
    r.digest = m[3];
    if (!r.digest.empty()) {
        if (auto ok = check_digest(r.digest); !ok) return ok.error();
    }
    return r;
}

}  // namespace

bool looks_like_id(const std::string& s) {
    std::string hex = s.rfind("sha256:", 0) == 0 ? s.substr(7) : s;
    return hex.size() >= 12 && hex.size() <= 64 && is_hex(hex);
}

Result<Reference> parse_reference(const std::string& s) {
    if (s.size() == 64 && is_hex(s)) {
        return Error("invalid repository name (" + s +
                     "), cannot specify 64-byte hexadecimal strings");
    }
    std::string domain, remainder;
    split_domain(s, domain, remainder);
    std::string remote = remainder.substr(0, remainder.find(':'));
    if (lower(remote) != remote) {
        return format_error("repository name (" + remote + ") must be lowercase");
    }
    auto r = parse_full(domain + "/" + remainder);
    if (!r) return r.error();
    // Parsing domain + "/" + remainder must give back the same split, else the name was odd
    // (e.g. `docker.io/docker///docker`), which the grammar already refused.
    if (r->tag.empty() && r->digest.empty()) r->tag = "latest";
    return r;
}

std::string Reference::str() const {
    std::string s = name();
    if (!tag.empty()) s += ":" + tag;
    if (!digest.empty()) s += "@" + digest;
    return s;
}

std::string Reference::familiar_name() const {
    if (domain != "docker.io") return name();
    if (path.rfind("library/", 0) == 0 && path.find('/', 8) == std::string::npos) {
        return path.substr(8);
    }
    return path;
}

std::string Reference::familiar() const {
    std::string s = familiar_name();
    if (!tag.empty()) s += ":" + tag;
    if (!digest.empty()) s += "@" + digest;
    return s;
}

}  // namespace berth::images

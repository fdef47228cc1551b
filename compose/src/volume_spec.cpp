#include "compose/volume_spec.hpp"

#include <cctype>
#include <string>
#include <string_view>

namespace berth::compose {

namespace {

bool is_drive_letter(const std::string& buf, char c) {
    return c == ':' && buf.size() == 1 && std::isalpha(static_cast<unsigned char>(buf[0]));
}

bool is_file_path(const std::string& source) {
    if (source.empty()) return false;
    if (source[0] == '.' || source[0] == '/' || source[0] == '~') return true;
    if (source.rfind("\\\\", 0) == 0) return true;  // Windows named pipe
    return source.size() > 1 && is_drive_letter(source.substr(0, 1), source[1]);
}

void apply_option(VolumeSpec& v, const std::string& option) {
    if (option == "ro") {
        v.read_only = true;
    } else if (option == "rw") {
        v.read_only = false;
    } else if (option == "nocopy") {
        v.has_volume = true;
        v.nocopy = true;
    } else if (option == "z" || option == "Z") {
        v.has_bind = true;
        v.selinux = option;
    } else if (option == "rprivate" || option == "private" || option == "rshared" ||
               option == "shared" || option == "rslave" || option == "slave") {
        v.has_bind = true;
        v.propagation = option;
    }
}

// One colon-separated section; `last` says it ended the spec. Returns an error text or "".
std::string take_section(VolumeSpec& v, const std::string& buf, bool last) {
    if (buf.empty()) return "empty section between colons";
    if (v.source.empty() && last) {
        v.target = buf;  // a lone path is an anonymous volume
    } else if (v.source.empty()) {
        v.source = buf;
    } else if (v.target.empty()) {
        v.target = buf;
    } else if (!last) {
        return "too many colons";
    } else {
        std::size_t start = 0;
        while (start <= buf.size()) {
            std::size_t comma = buf.find(',', start);
            if (comma == std::string::npos) comma = buf.size();
            apply_option(v, buf.substr(start, comma - start));
            start = comma + 1;
        }
    }
    return "";
}

void set_type(VolumeSpec& v) {
    if (is_file_path(v.source)) {
        v.type = "bind";
        v.has_bind = true;
        v.create_host_path = true;
    } else {
        v.type = "volume";
        v.has_volume = true;
    }
}

}  // namespace

Result<VolumeSpec> parse_volume_spec(std::string_view spec) {
    VolumeSpec v;
    if (spec.empty()) return Error("invalid empty volume spec");
    if (spec.size() <= 2) {
        v.target = std::string(spec);
        v.type = "volume";
        return v;
    }
    std::string buf;
    int in_variable = 0;  // depth of ${...}, whose default values may hold colons
    for (std::size_t i = 0; i <= spec.size(); ++i) {
        bool last = i == spec.size();
        char c = last ? '\0' : spec[i];
        if (!last && c == '$' && i + 1 < spec.size() && spec[i + 1] == '{') {
            ++in_variable;
            buf += c;
            continue;
        }
        if (!last && c == '}' && in_variable > 0) {
            --in_variable;
            buf += c;
            continue;
        }
        if (!last && is_drive_letter(buf, c)) {
            buf += c;
        } else if ((c == ':' || last) && in_variable == 0) {
            std::string err = take_section(v, buf, last);
            if (!err.empty()) return Error("invalid spec: " + std::string(spec) + ": " + err);
            buf.clear();
        } else if (!last) {
            buf += c;
        }
    }
    set_type(v);
    return v;
}

}  // namespace berth::compose

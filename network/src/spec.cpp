#include "network/spec.hpp"

#include <charconv>

namespace berth::network {

const char* to_string(Driver d) {
    switch (d) {
        case Driver::Bridge:
            return "bridge";
        case Driver::Macvlan:
            return "macvlan";
        case Driver::Ipvlan:
            return "ipvlan";
    }
    return "bridge";
}

Result<Driver> parse_driver(const std::string& name) {
    if (name.empty() || name == "bridge") return Driver::Bridge;
    if (name == "macvlan") return Driver::Macvlan;
    if (name == "ipvlan") return Driver::Ipvlan;
    return Error("driver \"" + name +
                 "\" is not supported (berth runs bridge, macvlan and ipvlan networks)");
}

namespace {

// A boolean driver option as Docker parses it (strconv.ParseBool).
Result<bool> bool_option(const std::string& opt, const std::string& v) {
    if (v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True") return true;
    if (v == "0" || v == "f" || v == "F" || v == "false" || v == "FALSE" || v == "False")
        return false;
    return Error("driver_opts " + opt + ": \"" + v + "\" is not a boolean");
}

Result<int> mtu_option(const std::string& opt, const std::string& v) {
    int mtu = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), mtu);
    if (ec != std::errc() || end != v.data() + v.size() || mtu < 68 || mtu > 65535) {
        return Error("driver_opts " + opt + ": \"" + v + "\" is not an MTU (68 to 65535)");
    }
    return mtu;
}

}  // namespace

Result<void> apply_driver_options(NetworkSpec& s, const std::map<std::string, std::string>& opts) {
    for (const auto& [key, v] : opts) {
        if (key == "com.docker.network.bridge.name") {
            if (v.empty() || v.size() > 15) {
                return Error("bridge name \"" + v + "\" must be 1 to 15 characters");
            }
            s.bridge_name = v;
        } else if (key == "com.docker.network.bridge.enable_icc") {
            auto b = bool_option(key, v);
            if (!b) return b.error();
            s.icc = *b;
        } else if (key == "com.docker.network.driver.mtu") {
            auto mtu = mtu_option(key, v);
            if (!mtu) return mtu.error();
            s.mtu = *mtu;
        } else if (key == "parent") {
            s.parent = v;
        } else if (key == "macvlan_mode" || key == "ipvlan_mode") {
            s.mode = v;
        }
        s.options[key] = v;
    }
    return {};
}

Result<void> check_driver(const NetworkSpec& s) {
    if (s.driver != Driver::Bridge && s.parent.empty()) {
        return Error(std::string("the ") + to_string(s.driver) +
                     " driver needs driver_opts.parent (the host link it sits on)");
    }
    return {};
}

}  // namespace berth::network

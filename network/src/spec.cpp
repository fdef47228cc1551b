#include "network/spec.hpp"

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

}  // namespace berth::network

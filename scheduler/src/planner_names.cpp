// Names and hashes the planner gives containers, and the words it uses for its actions.
#include "images/digest.hpp"
#include "scheduler/planner.hpp"

namespace berth::scheduler {

std::string container_name(const std::string& project, const DesiredService& s, int number) {
    if (!s.container_name.empty()) return s.container_name;
    return project + "-" + s.name + "-" + std::to_string(number);
}

// The image id is part of the hash so that pulling or building a new image under the same tag
// recreates the containers that run it, as docker compose does.
std::string config_hash_with_image(const std::string& service_hash, const std::string& image_id) {
    return images::digest_hex(images::sha256_digest(service_hash + "\n" + image_id));
}

const char* to_string(Action a) {
    switch (a) {
        case Action::Create:
            return "create";
        case Action::Recreate:
            return "recreate";
        case Action::Start:
            return "start";
        case Action::Keep:
            return "keep";
        case Action::Stop:
            return "stop";
        case Action::Remove:
            return "remove";
        case Action::Restart:
            return "restart";
    }
    return "keep";
}

}  // namespace berth::scheduler

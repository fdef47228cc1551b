// finalize_types() for the attributes of one service.
#include <set>
#include <string>

#include "finalize_parts.hpp"
#include "tree_util.hpp"
#include "typed_values.hpp"

namespace berth::compose::detail {

namespace {

void environment_map(Node& n) {
    to_string_map(n, NullValue::Keep, true);
}
void args_map(Node& n) {
    to_string_map(n, NullValue::Keep);
}
void labels_map(Node& n) {
    to_string_map(n, NullValue::Empty);
}
void force_string_node(Node& n) {
    force_string(n);
}

// Attributes that default to true are printed only when turned off.
void drop_default_true(Node& parent, const char* key) {
    convert(parent, key, to_bool);
    if (const Node* v = parent.find(key); v && v->as_bool() == true) parent.erase(key);
}

void file_refs(Node* refs) {
    each_item(refs, [](Node& ref) {
        if (!ref.is_map()) return;
        convert(ref, "uid", force_string_node);
        convert(ref, "gid", force_string_node);
        convert(ref, "mode", to_file_mode);
    });
}

// Ulimits print either as a single number or as both soft and hard.
void ulimits(Node* limits) {
    if (limits == nullptr || !limits->is_map()) return;
    for (auto& e : limits->entries) {
        Node& v = e.value;
        if (v.is_scalar()) to_int(v);
        if (!v.is_map()) continue;
        Node out = Node::mapping(v.mark);
        for (const char* key : {"soft", "hard"}) {
            Node* part = v.find(key);
            Node n = part ? *part : Node::integer(0, v.mark);
            to_int(n);
            out.set(key, std::move(n));
        }
        v = std::move(out);
    }
    sort_keys(*limits);
}

void build(Node& b) {
    if (!b.is_map()) return;
    convert(b, "args", args_map);
    convert(b, "labels", labels_map);
    convert(b, "additional_contexts", labels_map);
    convert(b, "extra_hosts", to_hosts_list);
    convert_omit_zero(b, "shm_size", to_bytes);
    for (const char* key : {"cache_from", "cache_to", "no_cache_filter", "tags", "platforms"}) {
        convert(b, key, to_string_list);
    }
    file_refs(b.find("secrets"));
    ulimits(b.find("ulimits"));
    for (const char* key : {"no_cache", "pull", "privileged"}) convert_omit_zero(b, key, to_bool);
    if (Node* ssh = b.find("ssh"); ssh && ssh->is_map()) {
        // Printed as a list of "id" or "id: path" entries.
        Node seq = Node::sequence(ssh->mark);
        for (const auto& e : ssh->entries) {
            std::string line = e.value.is_null() ? e.key : e.key + ": " + e.value.text;
            seq.push(str(line, e.value.mark));
        }
        *ssh = std::move(seq);
    }
}

void healthcheck(Node& h) {
    if (!h.is_map()) return;
    if (Node* test = h.find("test"); test && test->is_scalar()) {
        Node seq = Node::sequence(test->mark);
        seq.push(str("CMD-SHELL", test->mark));
        seq.push(str(test->text, test->mark));
        *test = std::move(seq);
    } else if (test && test->is_seq()) {
        for (Node& item : test->items) force_string(item);
    }
    for (const char* key : {"timeout", "interval", "start_period", "start_interval"}) {
        convert(h, key, to_duration);
    }
    convert(h, "retries", to_int);
    convert_omit_zero(h, "disable", to_bool);
}

void volumes(Node* mounts) {
    each_item(mounts, [](Node& m) {
        if (!m.is_map()) return;
        convert_omit_zero(m, "read_only", to_bool);
        if (Node* bind = m.find("bind"); bind && bind->is_map()) {
            drop_default_true(*bind, "create_host_path");
        }
        if (Node* tmpfs = m.find("tmpfs"); tmpfs && tmpfs->is_map()) {
            convert_omit_zero(*tmpfs, "size", to_bytes);
            convert_omit_zero(*tmpfs, "mode", to_int);
        }
        if (Node* vol = m.find("volume"); vol && vol->is_map()) {
            convert(*vol, "labels", labels_map);
            convert_omit_zero(*vol, "nocopy", to_bool);
        }
    });
}

void ports(Node* list) {
    each_item(list, [](Node& p) {
        if (!p.is_map()) return;
        convert(p, "target", to_int);
        convert(p, "published", force_string_node);
    });
}

void networks(Node* nets) {
    each_value(nets, [](const std::string&, Node& net) {
        if (!net.is_map()) return;
        convert(net, "driver_opts", labels_map);
        convert_omit_zero(net, "priority", to_int);
        convert_omit_zero(net, "gw_priority", to_int);
    });
    if (nets != nullptr) sort_keys(*nets);
}

void hooks(Node* list) {
    each_item(list, [](Node& hook) {
        if (!hook.is_map()) return;
        convert(hook, "command", to_shell_command);
        convert(hook, "environment", environment_map);
    });
}

void env_files(Node* files) {
    each_item(files, [](Node& f) {
        if (f.is_map()) drop_default_true(f, "required");
    });
}

void blkio(Node& b) {
    if (!b.is_map()) return;
    convert_omit_zero(b, "weight", to_int);
    each_item(b.find("weight_device"), [](Node& d) { convert(d, "weight", to_int); });
    // compose models every throttle rate, iops included, as a byte size.
    for (const char* key :
         {"device_read_bps", "device_write_bps", "device_read_iops", "device_write_iops"}) {
        each_item(b.find(key), [](Node& d) { convert(d, "rate", to_bytes); });
    }
}

// provider.options: every option holds a list of strings, a single value being a list of one.
void provider(Node& p) {
    if (!p.is_map()) return;
    Node* options = p.find("options");
    if (options == nullptr || !options->is_map()) return;
    for (auto& e : options->entries) to_string_list(e.value);
    sort_keys(*options);
}

// Numeric attributes that compose models as plain integers: zero means unset and is left out.
void plain_integers(Node& svc) {
    for (const char* key : {"cpu_count", "cpu_period", "cpu_quota", "cpu_rt_period",
                            "cpu_rt_runtime", "cpu_shares", "oom_score_adj", "pids_limit"}) {
        convert_omit_zero(svc, key, to_int);
    }
    convert(svc, "scale", to_int);
}

// compose leaves out attributes that decode to nothing: null, "", and empty lists and maps. Blocks
// that compose models as optional structs (`healthcheck: {}`) and commands (`command: []`, which
// overrides the image's) are printed even when empty.
void omit_empty_attributes(Node& svc) {
    static const std::set<std::string, std::less<>> kept_when_empty = {
        "build",       "develop", "blkio_config", "credential_spec", "deploy",    "extends",
        "healthcheck", "logging", "provider",     "command",         "entrypoint"};
    std::erase_if(svc.entries, [](const Entry& e) {
        if (e.key.rfind("x-", 0) == 0) return false;
        const Node& v = e.value;
        if (v.is_null()) return true;
        if (kept_when_empty.count(e.key) != 0) return false;
        if (v.is_scalar()) return v.is_string() && v.text.empty();
        return v.empty_collection();
    });
}

}  // namespace

void finalize_service(Node& svc) {
    if (!svc.is_map()) return;
    omit_empty_attributes(svc);  // nothing below has to expect null
    convert(svc, "annotations", labels_map);
    convert(svc, "build", build);
    convert(svc, "blkio_config", blkio);
    convert(svc, "command", to_shell_command);
    convert(svc, "entrypoint", to_shell_command);
    plain_integers(svc);
    file_refs(svc.find("configs"));
    file_refs(svc.find("secrets"));
    convert_omit_zero(svc, "cpus", to_float32);
    convert_omit_zero(svc, "cpu_percent", to_float32);
    convert(svc, "deploy", finalize_deploy);
    for (const char* key : {"dns", "dns_search", "tmpfs", "expose"})
        convert(svc, key, to_string_list);
    convert(svc, "environment", environment_map);
    env_files(svc.find("env_file"));
    convert(svc, "extra_hosts", to_hosts_list);
    each_item(svc.find("gpus"), finalize_device_request);
    convert(svc, "healthcheck", healthcheck);
    convert(svc, "labels", labels_map);
    convert(svc, "provider", provider);
    if (Node* logging = svc.find("logging"); logging && logging->is_map()) {
        convert(*logging, "options", labels_map);
    }
    for (const char* key :
         {"mem_limit", "mem_reservation", "memswap_limit", "mem_swappiness", "shm_size"}) {
        convert_omit_zero(svc, key, to_bytes);
    }
    networks(svc.find("networks"));
    ports(svc.find("ports"));
    convert(svc, "stop_grace_period", to_duration);
    convert(svc, "storage_opt", labels_map);
    convert(svc, "sysctls", labels_map);
    ulimits(svc.find("ulimits"));
    volumes(svc.find("volumes"));
    for (const char* key : {"pre_start", "post_start", "pre_stop"}) hooks(svc.find(key));
    for (const char* key :
         {"privileged", "read_only", "stdin_open", "tty", "oom_kill_disable", "use_api_socket"}) {
        convert_omit_zero(svc, key, to_bool);
    }
    convert(svc, "init", to_bool);
    convert(svc, "attach", to_bool);
    if (Node* deps = svc.find("depends_on"); deps && deps->is_map()) {
        sort_keys(*deps);
        each_value(deps, [](const std::string&, Node& d) {
            convert(d, "required", to_bool);
            convert_omit_zero(d, "restart", to_bool);
        });
    }
    omit_empty_attributes(svc);
}

}  // namespace berth::compose::detail

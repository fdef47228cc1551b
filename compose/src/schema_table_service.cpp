// A service, as the compose specification describes it, in our rule form (see schema_rules.hpp).
// Fields follow compose-go's ServiceConfig order, the order `config` prints. List fields without
// the spec's uniqueItems are the ones the merge step deduplicates first (see schema_table.cpp).
#include "schema_rules.hpp"

namespace berth::compose::spec::defs {

using namespace build;

namespace {

const Rule* flag() {
    static const Rule* r = of(Boolean | String);
    return r;
}

const Rule* build_config() {
    static const Rule* r = one_of({str(), strict({
                                              {"context", str()},
                                              {"dockerfile", str()},
                                              {"dockerfile_inline", str()},
                                              {"entitlements", array(str())},
                                              {"args", merged_list_or_dict()},
                                              {"provenance", of(String | Boolean)},
                                              {"sbom", of(String | Boolean)},
                                              {"ssh", list_or_dict()},
                                              {"labels", merged_list_or_dict()},
                                              {"cache_from", array(str())},
                                              {"cache_to", array(str())},
                                              {"no_cache", flag()},
                                              {"no_cache_filter", string_or_list()},
                                              {"additional_contexts", merged_list_or_dict()},
                                              {"pull", flag()},
                                              {"extra_hosts", extra_hosts()},
                                              {"isolation", str()},
                                              {"network", str()},
                                              {"target", str()},
                                              {"secrets", file_refs()},
                                              {"shm_size", of(Integer | String)},
                                              {"tags", array(str())},
                                              {"ulimits", ulimits()},
                                              {"platforms", array(str())},
                                              {"privileged", flag()},
                                          })});
    return r;
}

const Rule* blkio_config() {
    const Rule* limit = sealed({{"path", str()}, {"rate", of(Integer | String)}});
    const Rule* weight = sealed({{"path", str()}, {"weight", of(Integer | String)}});
    return sealed({
        {"weight", of(Integer | String)},
        {"weight_device", array(weight)},
        {"device_read_bps", array(limit)},
        {"device_read_iops", array(limit)},
        {"device_write_bps", array(limit)},
        {"device_write_iops", array(limit)},
    });
}

const Rule* depends_on() {
    const Rule* condition =
        enum_of({"service_started", "service_healthy", "service_completed_successfully"});
    const Rule* dependency = strict(
        {
            {"condition", condition},
            {"restart", flag()},
            {"required", boolean()},
        },
        {"condition"});
    return one_of({list_of_strings(), dict(Keys::Name, dependency, true)});
}

const Rule* devices() {
    return array(one_of({str(), strict(
                                    {
                                        {"source", str()},
                                        {"target", str()},
                                        {"permissions", str()},
                                    },
                                    {"source"})}));
}

const Rule* provider() {
    const Rule* scalar = of(String | Number | Boolean);
    return strict(
        {
            {"type", str()},
            {"options", dict(Keys::NonEmpty, one_of({scalar, array(scalar)}), false)},
        },
        {"type"});
}

const Rule* logging() {
    return strict({
        {"driver", str()},
        {"options", dict(Keys::NonEmpty, of(String | Number | Null), false)},
    });
}

const Rule* models() {
    const Rule* use = strict({{"endpoint_var", str()}, {"model_var", str()}});
    return one_of({list_of_strings(), dict(Keys::Name, one_of({use, of(Null)}), false)});
}

const Rule* networks() {
    const Rule* attachment = strict({
        {"aliases", string_list()},
        {"driver_opts", dict(Keys::NonEmpty, of(String | Number), false)},
        {"gw_priority", number()},
        {"interface_name", str()},
        {"ipv4_address", str()},
        {"ipv6_address", str()},
        {"link_local_ips", string_list()},
        {"mac_address", str()},
        {"priority", number()},
    });
    return one_of({list_of_strings(), dict(Keys::Name, one_of({attachment, of(Null)}), true)});
}

const Rule* ports() {
    const Rule* long_form = strict({
        {"name", str()},
        {"mode", str()},
        {"host_ip", str()},
        {"target", of(Integer | String)},
        {"published", of(String | Integer)},
        {"protocol", str()},
        {"app_protocol", str()},
    });
    return array(one_of({number(), str(), long_form}));
}

const Rule* volume_mounts() {
    const Rule* long_form = strict(
        {
            {"type", enum_of({"bind", "volume", "tmpfs", "cluster", "npipe", "image"})},
            {"source", str()},
            {"target", str()},
            {"read_only", flag()},
            {"consistency", str()},
            {"bind", strict({
                         {"selinux", enum_of({"z", "Z"})},
                         {"propagation", str()},
                         {"create_host_path", flag()},
                         {"recursive", enum_of({"enabled", "disabled", "writable", "readonly"})},
                     })},
            {"volume", strict({
                           {"labels", list_or_dict()},
                           {"nocopy", flag()},
                           {"subpath", str()},
                       })},
            {"tmpfs", strict({
                          {"size", one_of({at_least(0, integer()), str()})},
                          {"mode", of(Number | String)},
                      })},
            {"image", strict({{"subpath", str()}})},
        },
        {"type"});
    return array(one_of({str(), long_form}));
}

}  // namespace

const Rule* service() {
    static const Rule* r = strict({
        {"profiles", string_list()},
        {"annotations", merged_list_or_dict()},
        {"attach", flag()},
        {"build", build_config()},
        {"develop", development()},
        {"blkio_config", blkio_config()},
        {"cap_add", string_list()},
        {"cap_drop", string_list()},
        {"cgroup_parent", str()},
        {"cgroup", enum_of({"host", "private"})},
        {"cpu_count", one_of({str(), at_least(0, integer())})},
        {"cpu_percent", one_of({str(), at_most(100, at_least(0, integer()))})},
        {"cpu_period", of(Number | String)},
        {"cpu_quota", of(Number | String)},
        {"cpu_rt_period", of(Number | String)},
        {"cpu_rt_runtime", of(Number | String)},
        {"cpus", of(Number | String)},
        {"cpuset", str()},
        {"cpu_shares", of(Number | String)},
        {"command", command()},
        {"configs", file_refs()},
        {"container_name", matching("[a-zA-Z0-9][a-zA-Z0-9_.-]+", str())},
        {"credential_spec", strict({{"config", str()}, {"file", str()}, {"registry", str()}})},
        {"depends_on", depends_on()},
        {"deploy", deployment()},
        {"device_cgroup_rules", list_of_strings()},
        {"devices", devices()},
        {"dns", merged_string_or_list()},
        {"dns_opt", string_list()},
        {"dns_search", merged_string_or_list()},
        {"domainname", str()},
        {"entrypoint", command()},
        {"provider", provider()},
        {"environment", merged_list_or_dict()},
        {"env_file", env_file()},
        {"expose", array(of(String | Number))},
        {"extends", one_of({str(), sealed({{"file", str()}, {"service", str()}}, {"service"})})},
        {"external_links", list_of_strings()},
        {"extra_hosts", extra_hosts()},
        {"group_add", unique_array(of(String | Number))},
        {"gpus", gpus()},
        {"hostname", str()},
        {"healthcheck", healthcheck()},
        {"image", str()},
        {"init", flag()},
        {"ipc", str()},
        {"isolation", str()},
        {"labels", merged_list_or_dict()},
        {"label_file", label_file()},
        {"links", string_list()},
        {"logging", logging()},
        {"mem_limit", of(Number | String)},
        {"mem_reservation", of(String | Integer)},
        {"memswap_limit", of(Number | String)},
        {"mem_swappiness", of(Integer | String)},
        {"mac_address", str()},
        {"models", models()},
        {"network_mode", str()},
        {"networks", networks()},
        {"oom_kill_disable", flag()},
        {"oom_score_adj", one_of({str(), at_most(1000, at_least(-1000, integer()))})},
        {"pid", of(String | Null)},
        {"pids_limit", of(Number | String)},
        {"platform", str()},
        {"ports", ports()},
        {"privileged", flag()},
        {"pull_policy", matching("always|never|build|if_not_present|missing|refresh|daily|weekly|"
                                 "every_([0-9]+[wdhms])+",
                                 str())},
        {"pull_refresh_after", str()},
        {"read_only", flag()},
        {"restart", str()},
        {"runtime", str()},
        {"scale", of(Integer | String)},
        {"secrets", file_refs()},
        {"security_opt", list_of_strings()},
        {"shm_size", of(Number | String)},
        {"stdin_open", flag()},
        {"stop_grace_period", str()},
        {"stop_signal", str()},
        {"storage_opt", of(Object)},
        {"sysctls", merged_list_or_dict()},
        {"tmpfs", merged_string_or_list()},
        {"tty", flag()},
        {"ulimits", ulimits()},
        {"use_api_socket", boolean()},
        {"user", str()},
        {"userns_mode", str()},
        {"uts", str()},
        {"volumes", volume_mounts()},
        {"volumes_from", list_of_strings()},
        {"working_dir", str()},
        {"pre_start", array(pre_start_hook())},
        {"post_start", array(service_hook())},
        {"pre_stop", array(service_hook())},
    });
    return r;
}

}  // namespace berth::compose::spec::defs

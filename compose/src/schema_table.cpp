// The compose specification's shared definitions and top-level elements, in our rule form (see
// schema_rules.hpp). Fields are listed in compose-go's struct order, the order `config` prints.
//
// Some lists appear here without the spec's uniqueItems: compose-go removes repeated entries of
// those lists while merging (override.EnforceUnicity) before it validates, so a repeat there is
// folded away rather than reported. They use the string_list / merged_* definitions.
#include <utility>

#include "schema_rules.hpp"

namespace berth::compose::spec {

using namespace build;

namespace defs {
namespace {

const Rule* scalar_dict() {
    static const Rule* r = dict(Keys::NonEmpty, of(String | Number | Boolean | Null), true);
    return r;
}

const Rule* driver_opts() {
    static const Rule* r = dict(Keys::NonEmpty, of(String | Number), false);
    return r;
}

// `external: true`, or the deprecated `external: {name: ...}`.
const Rule* external(bool closed) {
    Rule r = closed ? *strict({{"name", str()}}) : *open({{"name", str()}});
    r.types = Boolean | String | Object;
    return make(std::move(r));
}

const Rule* update_config() {
    static const Rule* r = strict({
        {"parallelism", of(Integer | String)},
        {"delay", str()},
        {"failure_action", str()},
        {"monitor", str()},
        {"max_failure_ratio", of(Number | String)},
        {"order", enum_of({"start-first", "stop-first"})},
    });
    return r;
}

const Rule* resources() {
    static const Rule* r = strict({
        {"limits", strict({
                       {"cpus", of(Number | String)},
                       {"memory", str()},
                       {"pids", of(Integer | String)},
                   })},
        {"reservations", strict({
                             {"cpus", of(Number | String)},
                             {"memory", str()},
                             {"devices", device_requests()},
                             {"generic_resources",
                              array(strict({
                                  {"discrete_resource_spec", strict({
                                                                 {"kind", str()},
                                                                 {"value", of(Number | String)},
                                                             })},
                              }))},
                         })},
    });
    return r;
}

const Rule* network() {
    static const Rule* r = or_null(strict({
        {"name", str()},
        {"driver", str()},
        {"driver_opts", driver_opts()},
        {"ipam", strict({
                     {"driver", str()},
                     {"config", array(strict({
                                    {"subnet", str()},
                                    {"gateway", str()},
                                    {"ip_range", str()},
                                    {"aux_addresses", dict(Keys::NonEmpty, str(), true)},
                                }))},
                     {"options", dict(Keys::NonEmpty, str(), true)},
                 })},
        {"external", external(true)},
        {"internal", of(Boolean | String)},
        {"attachable", of(Boolean | String)},
        {"labels", merged_list_or_dict()},
        {"enable_ipv4", of(Boolean | String)},
        {"enable_ipv6", of(Boolean | String)},
    }));
    return r;
}

const Rule* volume() {
    static const Rule* r = or_null(strict({
        {"name", str()},
        {"driver", str()},
        {"driver_opts", driver_opts()},
        {"external", external(true)},
        {"labels", list_or_dict()},
    }));
    return r;
}

const Rule* secret() {
    static const Rule* r = strict({
        {"name", str()},
        {"file", str()},
        {"environment", str()},
        {"external", external(false)},
        {"labels", list_or_dict()},
        {"driver", str()},
        {"driver_opts", driver_opts()},
        {"template_driver", str()},
    });
    return r;
}

const Rule* config() {
    static const Rule* r = strict({
        {"name", str()},
        {"file", str()},
        {"environment", str()},
        {"content", str()},
        {"external", external(false)},
        {"labels", list_or_dict()},
        {"template_driver", str()},
    });
    return r;
}

const Rule* model() {
    static const Rule* r = strict(
        {
            {"name", str()},
            {"model", str()},
            {"context_size", integer()},
            {"runtime_flags", array(str())},
        },
        {"model"});
    return r;
}

const Rule* include() {
    static const Rule* r = one_of({str(), sealed({
                                              {"path", string_or_list()},
                                              {"project_directory", str()},
                                              {"env_file", string_or_list()},
                                          })});
    return r;
}

}  // namespace

const Rule* list_of_strings() {
    static const Rule* r = unique_array(str());
    return r;
}

const Rule* string_list() {
    static const Rule* r = array(str());
    return r;
}

const Rule* string_or_list() {
    static const Rule* r = one_of({str(), list_of_strings()});
    return r;
}

const Rule* merged_string_or_list() {
    static const Rule* r = one_of({str(), string_list()});
    return r;
}

const Rule* list_or_dict() {
    static const Rule* r = one_of({scalar_dict(), unique_array(str())});
    return r;
}

const Rule* merged_list_or_dict() {
    static const Rule* r = one_of({scalar_dict(), array(str())});
    return r;
}

const Rule* command() {
    static const Rule* r = one_of({of(Null), str(), array(str())});
    return r;
}

const Rule* extra_hosts() {
    static const Rule* r = one_of({
        dict(Keys::NonEmpty, one_of({str(), array(str())}), true),
        unique_array(str()),
    });
    return r;
}

const Rule* ulimits() {
    static const Rule* r =
        dict(Keys::Lowercase,
             one_of({
                 of(Integer | String),
                 strict({{"soft", of(Integer | String)}, {"hard", of(Integer | String)}},
                        {"soft", "hard"}),
             }),
             false);
    return r;
}

const Rule* file_refs() {
    static const Rule* r = array(one_of({str(), strict({
                                                    {"source", str()},
                                                    {"target", str()},
                                                    {"uid", str()},
                                                    {"gid", str()},
                                                    {"mode", of(Number | String)},
                                                })}));
    return r;
}

const Rule* service_hook() {
    static const Rule* r = strict(
        {
            {"command", command()},
            {"user", str()},
            {"privileged", of(Boolean | String)},
            {"working_dir", str()},
            {"environment", list_or_dict()},
        },
        {"command"});
    return r;
}

const Rule* pre_start_hook() {
    static const Rule* r = strict({
        {"command", command()},
        {"image", str()},
        {"user", str()},
        {"privileged", of(Boolean | String)},
        {"working_dir", str()},
        {"environment", list_or_dict()},
        {"per_replica", of(Boolean | String)},
    });
    return r;
}

const Rule* healthcheck() {
    static const Rule* r = strict({
        {"test", one_of({str(), array(str())})},
        {"timeout", str()},
        {"interval", str()},
        {"retries", of(Number | String)},
        {"start_period", str()},
        {"start_interval", str()},
        {"disable", of(Boolean | String)},
    });
    return r;
}

const Rule* development() {
    static const Rule* r = or_null(strict({
        {"watch",
         array(strict(
             {
                 {"path", str()},
                 {"action", enum_of({"rebuild", "sync", "restart", "sync+restart", "sync+exec"})},
                 {"target", str()},
                 {"exec", service_hook()},
                 {"include", string_or_list()},
                 {"ignore", string_or_list()},
                 {"initial_sync", boolean()},
             },
             {"path", "action"}))},
    }));
    return r;
}

const Rule* deployment() {
    static const Rule* r = or_null(strict({
        {"mode", str()},
        {"replicas", of(Integer | String)},
        {"labels", merged_list_or_dict()},
        {"update_config", update_config()},
        {"rollback_config", update_config()},
        {"resources", resources()},
        {"restart_policy", strict({
                               {"condition", str()},
                               {"delay", str()},
                               {"max_attempts", of(Integer | String)},
                               {"window", str()},
                           })},
        {"placement", strict({
                          {"constraints", array(str())},
                          {"preferences", array(strict({{"spread", str()}}))},
                          {"max_replicas_per_node", of(Integer | String)},
                      })},
        {"endpoint_mode", str()},
    }));
    return r;
}

const Rule* device_requests() {
    static const Rule* r = array(strict(
        {
            {"capabilities", list_of_strings()},
            {"driver", str()},
            {"count", of(String | Integer)},
            {"device_ids", list_of_strings()},
            {"options", list_or_dict()},
        },
        {"capabilities"}));
    return r;
}

// The spec puts additionalProperties on the gpus array rather than on its items, where it has no
// effect: a GPU request takes any extra key.
const Rule* gpus() {
    static const Rule* r = one_of({enum_of({"all"}), array(open({
                                                         {"capabilities", list_of_strings()},
                                                         {"driver", str()},
                                                         {"count", of(String | Integer)},
                                                         {"device_ids", list_of_strings()},
                                                         {"options", list_or_dict()},
                                                     }))});
    return r;
}

const Rule* env_file() {
    static const Rule* r =
        one_of({str(), array(one_of({str(), sealed(
                                                {
                                                    {"path", str()},
                                                    {"required", of(Boolean | String)},
                                                    {"format", str()},
                                                },
                                                {"path"})}))});
    return r;
}

const Rule* label_file() {
    static const Rule* r = one_of({str(), array(str())});
    return r;
}

}  // namespace defs

// Top-level keys in the order of compose-go's Project; `version` and `include` are consumed by the
// loader and never printed.
const Rule& compose_file_rule() {
    static const Rule* r = strict({
        {"name", str()},
        {"services", dict(Keys::Name, defs::service(), true)},
        {"networks", dict(Keys::Name, defs::network(), false)},
        {"volumes", dict(Keys::Name, defs::volume(), true)},
        {"secrets", dict(Keys::Name, defs::secret(), true)},
        {"configs", dict(Keys::Name, defs::config(), true)},
        {"models", dict(Keys::Name, defs::model(), false)},
        {"version", str()},
        {"include", array(defs::include())},
    });
    return *r;
}

}  // namespace berth::compose::spec

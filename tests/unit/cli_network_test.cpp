#include <gtest/gtest.h>

#include <sstream>

#include "network_format.hpp"
#include "network_request.hpp"
#include "prompt.hpp"

using namespace berth::cli;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

const std::string kId1 = "3a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
const std::string kId2 = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

json networks() {
    return json::array(
        {{{"Name", "demo_default"},
          {"Id", kId1},
          {"Created", "2026-11-29T05:00:00.123456789Z"},
          {"Scope", "local"},
          {"Driver", "bridge"},
          {"EnableIPv6", false},
          {"Internal", false},
          {"IPAM",
           {{"Driver", "default"},
            {"Options", json::object()},
            {"Config", {{{"Subnet", "172.18.0.0/16"}, {"Gateway", "172.18.0.1"}}}}}},
          {"Containers", json::object()},
          {"Options", json::object()},
          {"Labels",
           {{"com.docker.compose.project", "demo"}, {"com.docker.compose.network", "default"}}}},
         {{"Name", "lan"},
          {"Id", kId2},
          {"Created", "2026-11-29T06:30:00Z"},
          {"Scope", "local"},
          {"Driver", "macvlan"},
          {"EnableIPv6", true},
          {"Internal", true},
          {"Labels", json::object()}}});
}

std::string ls(const NetworkLsView& view, const json& list = networks()) {
    auto out = render_network_ls(list, view);
    return out ? *out : "ERROR: " + out.error().message();
}

std::string create_error(const NetworkCreateArgs& a) {
    auto body = network_create_body(a);
    return body ? "" : body.error().message();
}

NetworkCreateArgs args(std::vector<std::string> subnets, std::vector<std::string> ranges = {},
                       std::vector<std::string> gateways = {}, std::vector<std::string> aux = {}) {
    NetworkCreateArgs a;
    a.name = "net";
    a.subnets = std::move(subnets);
    a.ip_ranges = std::move(ranges);
    a.gateways = std::move(gateways);
    a.aux_addresses = std::move(aux);
    return a;
}

}  // namespace

// ---- ls ----

TEST(CliDns, TableAndOneName) {
    auto doc = nlohmann::json::parse(R"({"Name":"shop_front","Resolver":"172.29.10.1","Names":[
        {"Name":"web","Addresses":["172.29.10.2","172.29.10.5"]},
        {"Name":"shop-web-1","Addresses":["172.29.10.2"]}]})");
    EXPECT_EQ(*render_dns(doc, ""),
              "NETWORK  shop_front\nRESOLVER 172.29.10.1:53\n\n"
              "NAME         ADDRESSES\n"
              "web          172.29.10.2 172.29.10.5\n"
              "shop-web-1   172.29.10.2\n");
    EXPECT_EQ(*render_dns(doc, "WEB"), "172.29.10.2\n172.29.10.5\n");
    auto missing = render_dns(doc, "db");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message().find("no name \"db\" on network shop_front"),
              std::string::npos);
}

TEST(CliNetworkLs, TableLikeDocker) {
    EXPECT_EQ(ls({}),
              "NETWORK ID     NAME           DRIVER    SCOPE\n"
              "3a1b2c3d4e5f   demo_default   bridge    local\n"
              "ffeeddccbbaa   lan            macvlan   local\n");
    EXPECT_EQ(ls({"table", false, false}), ls({}));
}

TEST(CliNetworkLs, EmptyListKeepsTheHeader) {
    EXPECT_EQ(ls({}, json::array()), "NETWORK ID   NAME      DRIVER    SCOPE\n");
    EXPECT_EQ(ls({"", true, false}, json::array()), "");
    EXPECT_EQ(ls({"json", false, false}, json::array()), "");
}

TEST(CliNetworkLs, QuietAndNoTrunc) {
    EXPECT_EQ(ls({"", true, false}), "3a1b2c3d4e5f\nffeeddccbbaa\n");
    EXPECT_EQ(ls({"", true, true}), kId1 + "\n" + kId2 + "\n");
    std::string wide = ls({"", false, true});
    EXPECT_NE(wide.find(kId1 + "   demo_default"), std::string::npos) << wide;
}

TEST(CliNetworkLs, JsonIsOneObjectALineWithDockersFields) {
    std::string out = ls({"json", false, false});
    auto nl = out.find('\n');
    ASSERT_NE(nl, std::string::npos);
    EXPECT_EQ(out.substr(0, nl),
              R"({"CreatedAt":"2026-11-29 05:00:00.123456789 +0000 UTC","Driver":"bridge",)"
              R"("ID":"3a1b2c3d4e5f","IPv6":"false","Internal":"false",)"
              R"("Labels":"com.docker.compose.network=default,com.docker.compose.project=demo",)"
              R"("Name":"demo_default","Scope":"local"})");
    auto second = json::parse(out.substr(nl + 1));
    EXPECT_EQ(second["IPv6"], "true");
    EXPECT_EQ(second["Internal"], "true");
    EXPECT_EQ(second["Labels"], "");
    EXPECT_EQ(second["CreatedAt"], "2026-11-29 06:30:00 +0000 UTC");
    // -q does not change a json listing, as in docker.
    EXPECT_EQ(ls({"json", true, false}), out);
}

TEST(CliNetworkLs, Templates) {
    EXPECT_EQ(ls({"{{.Name}}", false, false}), "demo_default\nlan\n");
    EXPECT_EQ(ls({"{{.Name}}: {{.Driver}} {{.IPv6}}", true, false}),
              "demo_default: bridge false\nlan: macvlan true\n");
    EXPECT_EQ(ls({"{{.ID}}\\t{{.Name}}", false, true}),
              kId1 + "\tdemo_default\n" + kId2 + "\tlan\n");
    EXPECT_EQ(ls({"{{json .}}", false, false}).substr(0, 14), R"({"CreatedAt":")");
}

TEST(CliNetworkLs, TableTemplatesGetHeaders) {
    EXPECT_EQ(ls({"table {{.Name}}\\t{{.Internal}}\\t{{.Labels}}", false, false}),
              "NAME           INTERNAL   LABELS\n"
              "demo_default   false      "
              "com.docker.compose.network=default,com.docker.compose.project=demo\n"
              "lan            true\n");
    EXPECT_EQ(ls({"table {{.ID}}", true, false}), "NETWORK ID\n3a1b2c3d4e5f\nffeeddccbbaa\n");
    EXPECT_EQ(ls({"table {{.CreatedAt}}", false, false}),
              "CREATED AT\n2026-11-29 05:00:00.123456789 +0000 UTC\n2026-11-29 06:30:00 +0000 "
              "UTC\n");
}

TEST(CliNetworkLs, BadTemplateAndReply) {
    EXPECT_EQ(ls({"{{.Name", false, false}),
              "ERROR: template parsing error: template: :1: unclosed action");
    EXPECT_EQ(ls({"{{.Name.X}}", false, false}),
              "ERROR: template: executing: can't evaluate field X in type string");
    EXPECT_EQ(ls({}, json::object()), "ERROR: unreadable network list from berthd: not an array");
}

TEST(CliNetworkLs, GoTimeString) {
    EXPECT_EQ(go_time_string("2026-11-29T05:00:00.120000000Z"), "2026-11-29 05:00:00.12 +0000 UTC");
    EXPECT_EQ(go_time_string("2026-11-29T05:00:00.000Z"), "2026-11-29 05:00:00 +0000 UTC");
    EXPECT_EQ(go_time_string("2026-11-29T05:00:00+02:00"), "2026-11-29 05:00:00 +0200 +0200");
    EXPECT_EQ(go_time_string(""), "");
    EXPECT_EQ(go_time_string("yesterday"), "yesterday");
}

// ---- inspect ----

TEST(CliNetworkInspect, IndentedArrayLikeBerthInspect) {
    json one = json::array({networks()[1]});
    EXPECT_EQ(*render_network_inspect(one, ""), one.dump(4) + "\n");
    EXPECT_EQ(render_network_inspect(one, "").value().substr(0, 16), "[\n    {\n        ");
    EXPECT_EQ(*render_network_inspect(json::array(), ""), "[]\n");
    EXPECT_EQ(*render_network_inspect(one, "json"), one.dump(4) + "\n");
}

TEST(CliNetworkInspect, KeepsTheDaemonsKeyOrder) {
    auto one =
        ordered_json::parse(R"([{"Name":"n","Id":"x","Created":"t","Labels":{"b":"1","a":"2"}}])");
    EXPECT_EQ(*render_network_inspect(one, ""),
              "[\n    {\n        \"Name\": \"n\",\n        \"Id\": \"x\",\n        \"Created\": "
              "\"t\",\n        \"Labels\": {\n            \"b\": \"1\",\n            \"a\": "
              "\"2\"\n        }\n    }\n]\n");
}

TEST(CliNetworkInspect, TemplatePerNetwork) {
    EXPECT_EQ(*render_network_inspect(networks(), "{{.Name}} {{.Driver}}"),
              "demo_default bridge\nlan macvlan\n");
    EXPECT_EQ(*render_network_inspect(networks(),
                                      "{{range .IPAM.Config}}{{.Subnet}} via {{.Gateway}}{{end}}"),
              "172.18.0.0/16 via 172.18.0.1\n\n");
    EXPECT_EQ(
        *render_network_inspect(networks(), "{{index .Labels \"com.docker.compose.project\"}}"),
        "demo\n<no value>\n");
    EXPECT_FALSE(render_network_inspect(networks(), "{{if}}"));
}

// ---- create ----

TEST(CliNetworkCreate, PlainBody) {
    NetworkCreateArgs a;
    a.name = "backend";
    auto body = network_create_body(a);
    ASSERT_TRUE(body) << body.error().message();
    EXPECT_EQ(body->dump(),
              R"({"Name":"backend","Driver":"bridge","Internal":false,"EnableIPv6":false,)"
              R"("IPAM":{"Driver":"default","Options":{},"Config":[]},"Options":{},"Labels":{}})");
}

TEST(CliNetworkCreate, FlagsReachTheBody) {
    NetworkCreateArgs a =
        args({"10.5.0.0/16"}, {"10.5.1.0/24"}, {"10.5.0.254"}, {"router=10.5.0.2"});
    a.driver = "macvlan";
    a.internal = true;
    a.ipv6 = true;
    a.options = {"parent=eth0", "macvlan_mode=bridge", "flag"};
    a.labels = {"team=a", "team=b", "bare"};
    auto body = network_create_body(a);
    ASSERT_TRUE(body) << body.error().message();
    EXPECT_EQ((*body)["Driver"], "macvlan");
    EXPECT_EQ((*body)["Internal"], true);
    EXPECT_EQ((*body)["EnableIPv6"], true);
    EXPECT_EQ((*body)["IPAM"]["Config"].dump(),
              R"([{"Subnet":"10.5.0.0/16","IPRange":"10.5.1.0/24","Gateway":"10.5.0.254",)"
              R"("AuxiliaryAddresses":{"router":"10.5.0.2"}}])");
    EXPECT_EQ((*body)["Options"].dump(), R"({"parent":"eth0","macvlan_mode":"bridge","flag":""})");
    // The last value of a repeated key wins, as in docker's maps.
    EXPECT_EQ((*body)["Labels"].dump(), R"({"team":"b","bare":""})");
}

TEST(CliNetworkCreate, RangesAndGatewaysJoinTheSubnetHoldingThem) {
    // Given out of order: each joins the subnet that contains it, as docker pairs them.
    auto body = network_create_body(args({"10.1.0.0/16", "fd00:1::/64"}, {},
                                         {"fd00:1::1", "10.1.0.1"}, {"a=10.1.0.9", "b=fd00:1::9"}));
    ASSERT_TRUE(body) << body.error().message();
    const auto& config = (*body)["IPAM"]["Config"];
    ASSERT_EQ(config.size(), 2u);
    EXPECT_EQ(config[0]["Subnet"], "10.1.0.0/16");
    EXPECT_EQ(config[0]["Gateway"], "10.1.0.1");
    EXPECT_EQ(config[0]["IPRange"], "");
    EXPECT_EQ(config[0]["AuxiliaryAddresses"].dump(), R"({"a":"10.1.0.9"})");
    EXPECT_EQ(config[1]["Subnet"], "fd00:1::/64");
    EXPECT_EQ(config[1]["Gateway"], "fd00:1::1");
    EXPECT_EQ(config[1]["AuxiliaryAddresses"].dump(), R"({"b":"fd00:1::9"})");

    auto two = network_create_body(
        args({"10.1.0.0/24", "10.2.0.0/24"}, {"10.2.0.128/25", "10.1.0.0/25"}, {"10.2.0.1"}));
    ASSERT_TRUE(two) << two.error().message();
    EXPECT_EQ((*two)["IPAM"]["Config"][0]["IPRange"], "10.1.0.0/25");
    EXPECT_EQ((*two)["IPAM"]["Config"][0]["Gateway"], "");
    EXPECT_EQ((*two)["IPAM"]["Config"][1]["IPRange"], "10.2.0.128/25");
    EXPECT_EQ((*two)["IPAM"]["Config"][1]["Gateway"], "10.2.0.1");
}

TEST(CliNetworkCreate, DockersRefusals) {
    EXPECT_EQ(create_error(args({}, {}, {"10.0.0.1"})),
              "every ip-range or gateway must have a corresponding subnet");
    EXPECT_EQ(create_error(args({}, {"10.0.0.0/24"})),
              "every ip-range or gateway must have a corresponding subnet");
    EXPECT_EQ(create_error(args({"10.0.0.0/24"}, {}, {"10.0.0.1", "10.0.0.2"})),
              "every ip-range or gateway must have a corresponding subnet");
    EXPECT_EQ(create_error(args({"10.0.0.0/24"}, {}, {"10.9.0.1"})),
              "no matching subnet for gateway 10.9.0.1");
    EXPECT_EQ(create_error(args({"10.0.0.0/24"}, {"10.9.0.0/25"})),
              "no matching subnet for range 10.9.0.0/25");
    EXPECT_EQ(create_error(args({"10.0.0.0/24"}, {}, {}, {"x=10.9.0.1"})),
              "no matching subnet for aux-address 10.9.0.1");
    EXPECT_EQ(create_error(args({"10.0.0.0/16", "10.0.5.0/24"})),
              "multiple overlapping subnet configuration is not supported");
    EXPECT_EQ(create_error(args({"10.0.5.0/24", "10.0.0.0/16"})),
              "multiple overlapping subnet configuration is not supported");
    EXPECT_EQ(create_error(args({"10.0.0.0/24", "10.1.0.0/24"}, {}, {"10.0.0.1", "10.0.0.2"})),
              "cannot configure multiple gateways (10.0.0.2, 10.0.0.1) for the same subnet "
              "(10.0.0.0/24)");
    EXPECT_EQ(create_error(args({"10.0.0.0/24", "10.1.0.0/24"}, {"10.0.0.0/25", "10.0.0.128/25"})),
              "cannot configure multiple ranges (10.0.0.128/25, 10.0.0.0/25) on the same subnet "
              "(10.0.0.0/24)");
}

TEST(CliNetworkCreate, MalformedAddresses) {
    EXPECT_EQ(create_error(args({"10.0.0.0"})), "invalid subnet: invalid CIDR address: 10.0.0.0");
    EXPECT_EQ(create_error(args({"10.0.0.0/33"})),
              "invalid subnet: invalid CIDR address: 10.0.0.0/33");
    EXPECT_EQ(create_error(args({"nope/8"})), "invalid subnet: invalid CIDR address: nope/8");
    EXPECT_EQ(create_error(args({"10.0.0.0/24"}, {"10.0.0.0/x"})),
              "invalid argument \"10.0.0.0/x\" for \"--ip-range\" flag: invalid CIDR address: "
              "10.0.0.0/x");
    EXPECT_EQ(create_error(args({"10.0.0.0/24"}, {}, {"10.0.0"})),
              "invalid argument \"10.0.0\" for \"--gateway\" flag: invalid string being "
              "converted to IP address: 10.0.0");
    EXPECT_EQ(create_error(args({"10.0.0.0/24"}, {}, {}, {"10.0.0.5"})),
              "invalid argument \"10.0.0.5\" for \"--aux-address\" flag: expected NAME=IP");
    EXPECT_EQ(create_error(args({"10.0.0.0/24"}, {}, {}, {"=10.0.0.5"})),
              "invalid argument \"=10.0.0.5\" for \"--aux-address\" flag: expected NAME=IP");
    NetworkCreateArgs a;
    a.labels = {"=v"};
    EXPECT_EQ(create_error(a), "invalid label '=v': empty name");
    a.labels.clear();
    a.options = {"=v"};
    EXPECT_EQ(create_error(a), "invalid option '=v': empty name");
    // A subnet written with host bits is sent as written; berthd decides.
    EXPECT_EQ(create_error(args({"10.0.0.1/24"}, {}, {"10.0.0.1"})), "");
}

// ---- filters, connect, disconnect ----

TEST(CliNetworkFilters, KeyValuePairsGroupedByKey) {
    auto f = network_filters({"name=demo", "label=a=b", "name=x", "driver=bridge"});
    ASSERT_TRUE(f) << f.error().message();
    EXPECT_EQ(f->dump(), R"({"driver":["bridge"],"label":["a=b"],"name":["demo","x"]})");
    EXPECT_EQ(network_filters({})->dump(), "{}");
    EXPECT_EQ(network_filters({"name"}).error().message(),
              "bad format of filter (expected name=value): name");
    EXPECT_EQ(network_filters({"=x"}).error().message(),
              "bad format of filter (expected name=value): =x");
    EXPECT_EQ(network_filters({"label="})->dump(), R"({"label":[""]})");
}

TEST(CliNetworkConnect, Body) {
    auto b = network_connect_body({"demo-web-1", {"web", "www"}, "172.18.0.9", "fd00::9"});
    ASSERT_TRUE(b) << b.error().message();
    EXPECT_EQ(
        b->dump(),
        R"({"Container":"demo-web-1","EndpointConfig":{"Aliases":["web","www"],)"
        R"("IPAMConfig":{"IPv4Address":"172.18.0.9","IPv6Address":"fd00::9"},"MacAddress":""}})");
    auto plain = network_connect_body({"c", {}, "", ""});
    ASSERT_TRUE(plain);
    EXPECT_EQ((*plain)["EndpointConfig"]["Aliases"].dump(), "[]");
    EXPECT_EQ(network_connect_body({"c", {}, "300.1.1.1", ""}).error().message(),
              "invalid argument \"300.1.1.1\" for \"--ip\" flag: invalid string being converted "
              "to IP address: 300.1.1.1");
    EXPECT_EQ(network_connect_body({"c", {}, "fd00::1", ""}).error().message(),
              "invalid argument \"fd00::1\" for \"--ip\" flag: not an IPv4 address");
    EXPECT_EQ(network_connect_body({"c", {}, "", "10.0.0.1"}).error().message(),
              "invalid argument \"10.0.0.1\" for \"--ip6\" flag: not an IPv6 address");
}

TEST(CliNetworkConnect, DisconnectBodyAndPaths) {
    EXPECT_EQ(network_disconnect_body("demo-web-1", true).dump(),
              R"({"Container":"demo-web-1","Force":true})");
    EXPECT_EQ(network_path("demo_default"), "/v1/networks/demo_default");
    EXPECT_EQ(network_path("a b/c", "connect"), "/v1/networks/a%20b%2Fc/connect");
}

// ---- prune ----

TEST(CliNetworkPrune, AsksDockersQuestionAndReadsOneLine) {
    auto ask = [](const std::string& input, std::string* shown = nullptr) {
        std::istringstream in(input);
        std::ostringstream out;
        bool yes = confirm(in, out, kPruneQuestion);
        if (shown) *shown = out.str();
        return yes;
    };
    std::string shown;
    EXPECT_TRUE(ask("y\n", &shown));
    EXPECT_EQ(shown,
              "WARNING! This will remove all custom networks not used by at least one container.\n"
              "Are you sure you want to continue? [y/N] ");
    EXPECT_TRUE(ask("  Y \r\n"));
    EXPECT_TRUE(ask("y"));
    EXPECT_FALSE(ask("yes\n"));
    EXPECT_FALSE(ask("n\ny\n"));
    EXPECT_FALSE(ask("\n"));
    EXPECT_FALSE(ask(""));
}

TEST(CliNetworkPrune, ReportLikeDocker) {
    EXPECT_EQ(prune_report({"demo_default", "lan"}), "Deleted Networks:\ndemo_default\nlan\n\n");
    EXPECT_EQ(prune_report({}), "");
}

// ctnetlink through libnl's core (NETLINK_NETFILTER): dump the UDP entries, then delete the ones
// on the given ports by their original tuple, as `conntrack -D -p udp --orig-port-dst P` does.
#include "network/conntrack.hpp"

#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netinet/in.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <set>
#include <string>
#include <vector>

namespace berth::network {

namespace {

Error nl_error(const std::string& what, int err) {
    return Error(what + ": " + nl_geterror(err));
}

struct Sock {
    nl_sock* p = nl_socket_alloc();
    ~Sock() {
        if (p) nl_socket_free(p);
    }
};

// An entry to delete: its family and its CTA_TUPLE_ORIG payload, as the dump gave it.
struct Entry {
    std::uint8_t family = 0;
    std::vector<char> tuple;
};

struct Dump {
    const std::set<std::uint16_t>* ports = nullptr;
    std::vector<Entry> found;
};

int on_entry(nl_msg* msg, void* arg) {
    auto* dump = static_cast<Dump*>(arg);
    nlmsghdr* h = nlmsg_hdr(msg);
    nlattr* ct[CTA_MAX + 1] = {};
    if (nlmsg_parse(h, sizeof(nfgenmsg), ct, CTA_MAX, nullptr) < 0 || !ct[CTA_TUPLE_ORIG]) {
        return NL_OK;
    }
    nlattr* tuple[CTA_TUPLE_MAX + 1] = {};
    if (nla_parse_nested(tuple, CTA_TUPLE_MAX, ct[CTA_TUPLE_ORIG], nullptr) < 0 ||
        !tuple[CTA_TUPLE_PROTO]) {
        return NL_OK;
    }
    nlattr* proto[CTA_PROTO_MAX + 1] = {};
    if (nla_parse_nested(proto, CTA_PROTO_MAX, tuple[CTA_TUPLE_PROTO], nullptr) < 0 ||
        !proto[CTA_PROTO_NUM] || !proto[CTA_PROTO_DST_PORT] ||
        nla_get_u8(proto[CTA_PROTO_NUM]) != IPPROTO_UDP) {
        return NL_OK;
    }
    if (!dump->ports->count(ntohs(nla_get_u16(proto[CTA_PROTO_DST_PORT])))) return NL_OK;
    Entry e;
    e.family = static_cast<nfgenmsg*>(nlmsg_data(h))->nfgen_family;
    const auto* data = static_cast<const char*>(nla_data(ct[CTA_TUPLE_ORIG]));
    e.tuple.assign(data, data + nla_len(ct[CTA_TUPLE_ORIG]));
    dump->found.push_back(std::move(e));
    return NL_OK;
}

// A ctnetlink request: the header, then the family in nfgenmsg.
nl_msg* request(int type, int flags, std::uint8_t family) {
    nl_msg* msg = nlmsg_alloc_simple((NFNL_SUBSYS_CTNETLINK << 8) | type, NLM_F_REQUEST | flags);
    if (!msg) return nullptr;
    nfgenmsg g{};
    g.nfgen_family = family;
    g.version = NFNETLINK_V0;
    if (nlmsg_append(msg, &g, sizeof(g), NLMSG_ALIGNTO) < 0) {
        nlmsg_free(msg);
        return nullptr;
    }
    return msg;
}

}  // namespace

Result<int> forget_udp_flows(const std::vector<std::uint16_t>& ports) {
    if (ports.empty()) return 0;
    const std::set<std::uint16_t> wanted(ports.begin(), ports.end());
    const std::string what = "delete the conntrack entries of published udp ports";
    Sock sock;
    if (!sock.p) return Error(what + ": cannot allocate a netlink socket");
    if (int err = nl_connect(sock.p, NETLINK_NETFILTER); err < 0) return nl_error(what, err);

    // AF_UNSPEC: IPv4 and IPv6 entries alike. Deleting happens after the dump, never during it.
    Dump dump;
    dump.ports = &wanted;
    nl_msg* msg = request(IPCTNL_MSG_CT_GET, NLM_F_DUMP, AF_UNSPEC);
    if (!msg) return Error(what + ": cannot build the request");
    int err = nl_send_auto(sock.p, msg);
    nlmsg_free(msg);
    if (err < 0) return nl_error(what, err);
    nl_socket_modify_cb(sock.p, NL_CB_VALID, NL_CB_CUSTOM, on_entry, &dump);
    if (err = nl_recvmsgs_default(sock.p); err < 0) return nl_error(what, err);
    nl_socket_modify_cb(sock.p, NL_CB_VALID, NL_CB_DEFAULT, nullptr, nullptr);

    int deleted = 0;
    for (const auto& e : dump.found) {
        msg = request(IPCTNL_MSG_CT_DELETE, NLM_F_ACK, e.family);
        if (!msg || nla_put(msg, CTA_TUPLE_ORIG | NLA_F_NESTED, static_cast<int>(e.tuple.size()),
                            e.tuple.data()) < 0) {
            if (msg) nlmsg_free(msg);
            return Error(what + ": cannot build the request");
        }
        err = nl_send_sync(sock.p, msg);         // frees msg
        if (err == -NLE_OBJ_NOTFOUND) continue;  // it expired between the dump and now
        if (err < 0) return nl_error(what, err);
        ++deleted;
    }
    return deleted;
}

}  // namespace berth::network

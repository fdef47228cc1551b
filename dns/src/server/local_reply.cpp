#include "local_reply.hpp"

#include <algorithm>

namespace berth::dns {

QueryType query_type(const Question& question) {
    if (question.qclass != kClassIN) return QueryType::Other;
    switch (question.type()) {
        case Type::A:
            return QueryType::A;
        case Type::AAAA:
            return QueryType::AAAA;
        case Type::PTR:
            return QueryType::PTR;
        default:
            return QueryType::Other;
    }
}

void lookup_name(const Name& name, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < name.label_count(); ++i) {
        std::string_view label = name.label(i);
        if (label.find_first_of(".\\") != std::string_view::npos) {
            out = to_string(name);
            return;
        }
        if (i) out.push_back('.');
        out.append(label);
    }
}

namespace {

IpAddress to_ip(const Address& a) {
    IpAddress ip;
    ip.v6 = a.v6;
    ip.bytes = a.bytes;
    return ip;
}

Rcode rcode_of(Status status) {
    switch (status) {
        case Status::NxDomain:
            return Rcode::NXDomain;
        case Status::Refused:
            return Rcode::Refused;
        default:
            return Rcode::NoError;
    }
}

}  // namespace

std::size_t build_local_reply(const Query& query, const Answer& answer, Transport transport,
                              std::uint32_t ttl, std::span<std::uint8_t> out) {
    ResponseBuilder rb(out, response_limit(query, transport));
    // REFUSED goes to hosts that are no container of ours: claim no authority to them.
    ResponseFlags flags;
    flags.authoritative = answer.status != Status::Refused;
    if (!rb.start(query, rcode_of(answer.status), flags)) return 0;
    if (answer.status == Status::Found) {
        const Name& owner = query.question.name;
        if (query_type(query.question) == QueryType::PTR) {
            auto target = parse_name(answer.ptr);
            if (target) {
                rb.add_ptr(owner, ttl, *target);
            } else {
                rb.set_rcode(Rcode::ServFail);  // a container name that is no DNS name
            }
        } else {
            for (const Address& a : answer.addresses) {
                if (!rb.add_address(owner, ttl, to_ip(a))) break;  // truncated: TC is set
            }
        }
    }
    return rb.finish();
}

std::size_t build_rcode_reply(const Query& query, Rcode rcode, Transport transport,
                              std::span<std::uint8_t> out) {
    ResponseBuilder rb(out, response_limit(query, transport));
    ResponseFlags flags;
    flags.authoritative = false;
    if (!rb.start(query, rcode, flags)) return 0;
    return rb.finish();
}

}  // namespace berth::dns

// DNS over TCP: each message is preceded by its length in two bytes (RFC 1035 4.2.2), and a
// connection may carry several of them back to back (RFC 7766 6.2.1).
#include "dns/wire.hpp"

namespace berth::dns {

FrameScan scan_frames(std::span<const std::uint8_t> buffer, std::span<Frame> frames) {
    FrameScan scan;
    std::size_t pos = 0;
    while (scan.count < frames.size()) {
        std::size_t left = buffer.size() - pos;
        if (left == 0) break;
        if (left < 2) {
            // At least one more byte of prefix, then at least an empty message.
            scan.missing = 2 - left;
            break;
        }
        std::size_t length = (std::size_t{buffer[pos]} << 8) | buffer[pos + 1];
        if (left - 2 < length) {
            scan.missing = length - (left - 2);
            break;
        }
        frames[scan.count++] = Frame{pos + 2, length};
        pos += 2 + length;
    }
    scan.consumed = pos;
    return scan;
}

bool write_frame_prefix(std::span<std::uint8_t, 2> out, std::size_t length) {
    if (length > kTcpLimit) return false;
    out[0] = static_cast<std::uint8_t>(length >> 8);
    out[1] = static_cast<std::uint8_t>(length);
    return true;
}

}  // namespace berth::dns

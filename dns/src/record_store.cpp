#include "dns/record_store.hpp"

#include <utility>

namespace berth::dns {

RecordStore::RecordStore() : current_(std::make_shared<const Snapshot>()) {}

void RecordStore::publish(Snapshot snapshot) {
    // The old snapshot is freed by whichever holder lets it go last, possibly a reader.
    current_.store(std::make_shared<const Snapshot>(std::move(snapshot)),
                   std::memory_order_release);
}

std::shared_ptr<const Snapshot> RecordStore::current() const {
    return current_.load(std::memory_order_acquire);
}

}  // namespace berth::dns

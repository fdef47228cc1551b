// The current record snapshot, shared between the daemon (which rebuilds it on every start, stop,
// health change, connect, disconnect or scale) and the resolver's readers. A reader holds the
// snapshot it got for as long as it answers from it, so it never sees a table half made nor one
// freed under it.
#pragma once

#include <atomic>
#include <memory>

#include "dns/records.hpp"

namespace berth::dns {

class RecordStore {
  public:
    RecordStore();  // starts with an empty snapshot, so current() is never null

    void publish(Snapshot snapshot);
    std::shared_ptr<const Snapshot> current() const;

  private:
    std::atomic<std::shared_ptr<const Snapshot>> current_;
};

}  // namespace berth::dns

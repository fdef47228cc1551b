// `--change` instructions of `berth image import` (the Dockerfile subset `docker import` takes:
// CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL). Pure.
#pragma once

#include <string>

#include "common/result.hpp"
#include "images/image_config.hpp"

namespace berth::images {

// Applies one instruction, e.g. `CMD ["sh"]`, `CMD echo hi` (shell form: /bin/sh -c),
// `ENV A=1 B="two words"`, `ENV A 1`, `EXPOSE 80/tcp 53/udp`, `LABEL k=v`.
Result<void> apply_change(ImageConfig& c, const std::string& line);

}  // namespace berth::images

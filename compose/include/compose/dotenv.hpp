// The .env grammar shared by `.env`, --env-file and env_file: KEY=VAL, KEY: VAL, export, comments,
// single and double quotes, multi-line values, bare KEY inheritance and ${VAR} expansion.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "compose/environment.hpp"

namespace berth::compose {

using EnvPairs = std::vector<std::pair<std::string, std::string>>;

// Parses one file's text. Keys keep the order of their first definition; a later definition
// replaces the value. ${VAR} in unquoted and double-quoted values resolves through `lookup`
// first and then through the keys already parsed; a bare KEY takes lookup(KEY) and is dropped
// when that is unset. Keys starting with a digit are dropped. Errors read
// "line N: key cannot contain a space", "line N: unterminated quoted value ...", and so on.
Result<EnvPairs> parse_dotenv(std::string_view text, const Lookup& lookup);

// Reads env files in order into one environment, later files overriding earlier ones. References
// resolve from os_env first, then from the values read so far (as docker compose does, so the
// shell can steer a value even where the file redefines the variable). Errors name the file.
Result<Environment> read_env_files(const std::vector<std::string>& paths,
                                   const Environment& os_env);

}  // namespace berth::compose

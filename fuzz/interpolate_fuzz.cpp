// compose::substitute() on arbitrary text: ${VAR}, defaults, errors and nesting must never crash,
// whatever the braces, dollars and modifiers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "compose/environment.hpp"
#include "compose/template.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Set, empty and unset variables take different branches of every modifier (:- - :? ? :+ +).
    static const berth::compose::Environment env = {
        {"SET", "value"}, {"EMPTY", ""}, {"NESTED", "${SET}"}, {"DOLLAR", "$$"}};
    static const berth::compose::Lookup lookup = berth::compose::lookup_in(env);
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto result = berth::compose::substitute(text, lookup);
    (void)result.ok();
    return 0;
}

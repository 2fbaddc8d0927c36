#pragma once
// Upper limits on the sizes a config may ask for, checked on the TOML document before any of
// them is used (so that a size can never allocate first and fail later). The limits are stated
// in include/signopt/experiment/limits.hpp; each error names the file:line and key.
#include <toml++/toml.h>

#include <string>
#include <string_view>

namespace signopt::experiment {

void check_config_limits(const toml::table& root, const std::string& source);

// Checks the text before the TOML parser sees it: valid UTF-8, and non-ASCII characters only
// inside strings and comments (the only places TOML allows them). toml++ 3.3 has undefined
// behaviour on some non-ASCII characters where it expects whitespace (upstream issue
// marzer/tomlplusplus#190); such a config is refused here with its file:line:column instead.
void check_toml_text(std::string_view text, const std::string& source);

struct NoiseConfig;
// Builds the [noise] model once, so that an unknown model or a bad parameter is reported with the
// config's file:line (of the parameter the message names, else of model) rather than later.
void check_noise_section(const toml::table& noise, const NoiseConfig& config, const std::string& source,
                         const std::string& section = "noise");

}  // namespace signopt::experiment

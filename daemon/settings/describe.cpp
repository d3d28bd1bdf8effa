// The effective configuration as TOML (vigild --check-config). Written from the same key
// tables the parser reads, so its output parses back to the same settings.
#include <array>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "settings/schema.hpp"

namespace vigil::settings {
namespace {

using namespace detail;

// The key's value as TOML, or nullopt when a text key is unset.
std::optional<std::string> value_text(const key_spec& key, const daemon_settings& s) {
  if (const auto* num = std::get_if<number_spec<daemon_settings>>(&key.kind)) {
    return format_number(get_number(*num, s).value_or(0));
  }
  if (const auto* text = std::get_if<text_spec>(&key.kind)) {
    if (auto v = text->get(s)) return toml_string(*v);
    return std::nullopt;
  }
  return std::get<bool_spec>(key.kind).ref(const_cast<daemon_settings&>(s)) ? "true" : "false";
}

void print_key(std::ostream& os, const key_spec& key, const daemon_settings& s) {
  if (auto v = value_text(key, s)) {
    os << key.name << " = " << *v << '\n';
  } else if (key.name == "client_id") {
    os << "# client_id unset: " << toml_string(leader_client_id(s))
       << (s.store.shared() ? ", the same on every member of the pair\n"
                            : ", follows the instance\n");
  } else if (key.table == "store" && key.name == "url") {
    os << "# url unset: " << toml_string(s.store.url_or_default(s.state_dir))
       << ", follows state_dir\n";
  } else {
    os << "# " << key.name << " unset\n";
  }
}

// Keys equal in every phase go under [alarms]; the others are spelled out per phase.
void print_alarms(std::ostream& os, const daemon_settings& s) {
  std::array<std::vector<std::string>, 3> per_phase;
  for (const auto& key : phase_keys()) {
    std::array<std::optional<double>, 3> v;
    for (std::size_t i = 0; i < 3; ++i) v[i] = get_number(key.spec, s.engine.phases[i]);
    bool same = v[0] == v[1] && v[1] == v[2];
    for (std::size_t i = 0; i < 3; ++i) {
      if (!v[i] || (same && i > 0)) continue;
      std::string line = std::string{key.name} + " = " + format_number(*v[i]) + '\n';
      if (same) {
        os << line;
      } else {
        per_phase[i].push_back(std::move(line));
      }
    }
  }
  for (std::size_t i = 0; i < 3; ++i) {
    if (per_phase[i].empty()) continue;
    os << "\n[alarms." << phase_table_names[i] << "]\n";
    for (const auto& line : per_phase[i]) os << line;
  }
}

}  // namespace

std::vector<std::string> keys_needing_restart(const daemon_settings& running,
                                              const daemon_settings& next) {
  std::vector<std::string> keys;
  for (const auto& key : global_keys()) {
    if (key.reload == on_reload::restart && value_text(key, running) != value_text(key, next)) {
      keys.push_back(std::string{key.table} + "." + std::string{key.name});
    }
  }
  return keys;
}

std::string describe(const daemon_settings& s) {
  std::ostringstream os;
  os << "# vigild effective configuration\n";
  for (auto table : table_names()) {
    os << "\n[" << table << "]\n";
    if (table == "alarms") print_alarms(os, s);
    for (const auto& key : global_keys())
      if (key.table == table) print_key(os, key, s);
  }
  const auto& e = s.engine;
  os << "\n# Fixed plausibility ranges (alarms.md section 3), not configurable:\n"
     << "# HR " << format_number(e.hr_plausible.min) << ".." << format_number(e.hr_plausible.max)
     << " /min, SBP " << format_number(e.sbp_plausible.min) << ".."
     << format_number(e.sbp_plausible.max) << ", DBP " << format_number(e.dbp_plausible.min) << ".."
     << format_number(e.dbp_plausible.max) << ", MAP " << format_number(e.map_plausible.min) << ".."
     << format_number(e.map_plausible.max) << " mm[Hg]\n";
  return os.str();
}

}  // namespace vigil::settings

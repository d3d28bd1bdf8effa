// The one description of every configuration key: name, type, unit, allowed range and where it
// lands in daemon_settings. Parsing, validation and describe() all walk these tables, so a key
// cannot be parsed but not printed, or printed with another range than it is checked against.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include <toml++/toml.h>

#include "settings/settings.hpp"

namespace vigil::settings::detail {

// How a number in the file maps to its field: seconds and minutes become core::time_ms.
enum class unit : std::uint8_t { number, integer, seconds, minutes };

using number_ref =
    std::variant<double*, std::optional<double>*, core::time_ms*, int*, std::uint32_t*>;

template <class T>
struct number_spec {
  unit kind;
  double min;  // in file units, inclusive
  double max;
  number_ref (*ref)(T&);
};

// nullopt when the text is acceptable, else what is wrong including what is allowed.
using text_check = std::optional<std::string> (*)(std::string_view);

struct text_spec {
  text_check check;
  std::optional<std::string> (*get)(const daemon_settings&);  // nullopt: key left unset
  void (*set)(daemon_settings&, std::string);
};

struct bool_spec {
  bool& (*ref)(daemon_settings&);
};

// What SIGHUP does with a changed key: vigild applies it, or it names the daemon's connection,
// its identity on the broker or files it holds open, and takes a restart.
enum class on_reload : std::uint8_t { applied, restart };

struct key_spec {
  std::string_view table;  // top-level table; "" for none
  std::string_view name;
  std::variant<number_spec<daemon_settings>, text_spec, bool_spec> kind;
  detail::on_reload reload = on_reload::applied;
};

struct phase_key_spec {
  std::string_view name;
  number_spec<core::phase_config> spec;
};

// Tables in the order describe() prints them ("alarms" holds the phase keys).
std::span<const std::string_view> table_names();
std::span<const key_spec> global_keys();
std::span<const phase_key_spec> phase_keys();
inline constexpr std::string_view phase_table_names[3] = {"idle", "infusion", "recovery"};
const key_spec* find_global_key(std::string_view table, std::string_view name);  // or null
const phase_key_spec* find_phase_key(std::string_view name);                     // or null

// A rule between two numbers of the same scope: `b REL a` must hold.
enum class relation : std::uint8_t { greater_equal, less_equal, greater, less };
struct order_rule {
  std::string_view a;  // key name (phase rules) or "table.key" (global rules)
  std::string_view b;
  relation rel;
};
std::span<const order_rule> phase_rules();
std::span<const order_rule> global_rules();

// Value in file units (seconds, minutes, plain), and back; nullopt for an absent HIGH limit.
template <class T>
std::optional<double> get_number(const number_spec<T>& spec, const T& obj);
template <class T>
void set_number(const number_spec<T>& spec, T& obj, double file_value);

// Shortest text that reads back to the same double ("120", "1.5", "0.016666666666666666").
std::string format_number(double v);
std::string allowed_range(double min, double max);  // "100..260"
std::string toml_string(std::string_view v);        // "quoted" and escaped as TOML
std::string toml_text(const toml::node& n);         // a value as TOML, strings "quoted"

}  // namespace vigil::settings::detail

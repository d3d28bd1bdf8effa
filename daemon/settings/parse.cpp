// TOML text -> validated daemon_settings, collecting every error instead of stopping at the
// first, so one --check-config run lists everything to fix.
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include <toml++/toml.h>

#include "settings/checks.hpp"
#include "settings/schema.hpp"

namespace vigil::settings {
namespace {

using namespace detail;

// Where an effective value came from, to blame the right key when two values contradict.
struct origin {
  std::string path;  // as written ("alarms.infusion.hr_high_high"), or the bare name if default
  std::uint32_t line = 0;
  int rank = 0;       // 0 default, 1 a table's key or [alarms], 2 [alarms.<phase>]
  bool valid = true;  // false: the key itself was wrong, so rules about it say nothing new
};

// (name compared, name shown)
using candidates = std::vector<std::pair<std::string_view, std::string>>;

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string did_you_mean(std::string_view name, const candidates& known) {
  const std::string* best = nullptr;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 4) + 1;
  for (const auto& [compared, shown] : known) {
    std::size_t d = edit_distance(name, compared);
    if (d < best_distance) best = &shown, best_distance = d;
  }
  return best ? " (did you mean " + *best + "?)" : "";
}

std::string node_text(const toml::node& n) { return n.is_table() ? "" : toml_text(n); }

std::string_view op_text(relation r) {
  switch (r) {
    case relation::greater_equal: return ">=";
    case relation::less_equal: return "<=";
    case relation::greater: return ">";
    case relation::less: return "<";
  }
  return "?";
}

bool holds(double b, relation r, double a) {
  switch (r) {
    case relation::greater_equal: return b >= a;
    case relation::less_equal: return b <= a;
    case relation::greater: return b > a;
    case relation::less: return b < a;
  }
  return false;
}

relation flipped(relation r) {
  switch (r) {
    case relation::greater_equal: return relation::less_equal;
    case relation::less_equal: return relation::greater_equal;
    case relation::greater: return relation::less;
    case relation::less: return relation::greater;
  }
  return r;
}

class parser {
 public:
  explicit parser(std::string_view file) : file_(file) {}

  load_result run(std::string_view text) {
    try {
      read_root(toml::parse(text, file_));
    } catch (const toml::parse_error& e) {
      errors_.push_back({file_,
                         e.source().begin.line,
                         e.source().begin.column,
                         {},
                         {},
                         "syntax error: " + std::string{e.description()}});
      return {std::nullopt, std::move(errors_)};
    }
    check_rules();
    check_tls();
    check_store();
    std::stable_sort(errors_.begin(), errors_.end(), [](const auto& x, const auto& y) {
      return std::pair{x.line, x.column} < std::pair{y.line, y.column};
    });
    if (!errors_.empty()) return {std::nullopt, std::move(errors_)};
    return {std::move(s_), {}};
  }

 private:
  void error(const toml::node& at, std::string key, std::string message) {
    errors_.push_back(
        {file_, at.source().begin.line, 0, std::move(key), node_text(at), std::move(message)});
  }

  void unknown(const toml::node& at, std::string path, std::string_view name,
               const candidates& known) {
    error(at, std::move(path),
          std::string{at.is_table() ? "unknown table" : "unknown key"} + did_you_mean(name, known));
  }

  void read_root(const toml::table& root) {
    for (auto&& [k, node] : root) {
      std::string name{k.str()};
      auto tables = table_names();
      if (std::find(tables.begin(), tables.end(), name) == tables.end()) {
        candidates known;
        if (node.is_table()) {
          for (auto t : tables) known.emplace_back(t, std::string{t});
        } else {  // a key above the first table header: name the table it belongs to
          for (const auto& key : global_keys())
            known.emplace_back(key.name, std::string{key.table} + "." + std::string{key.name});
        }
        unknown(node, name, name, known);
      } else if (!node.is_table()) {
        error(node, name, "wrong type, expected a table");
      } else if (name == "alarms") {
        read_alarms(*node.as_table());
      } else {
        read_table(name, *node.as_table());
      }
    }
  }

  void read_table(const std::string& table, const toml::table& t) {
    for (auto&& [k, node] : t) {
      std::string path = table + "." + std::string{k.str()};
      const key_spec* spec = find_global_key(table, k.str());
      if (!spec) {
        candidates known;
        for (const auto& key : global_keys())
          if (key.table == table) known.emplace_back(key.name, std::string{key.name});
        unknown(node, path, k.str(), known);
        continue;
      }
      bool ok = false;
      if (const auto* num = std::get_if<number_spec<daemon_settings>>(&spec->kind)) {
        if (auto v = read_number(node, path, *num)) set_number(*num, s_, *v), ok = true;
      } else if (const auto* text = std::get_if<text_spec>(&spec->kind)) {
        ok = read_text(node, path, *text);
      } else if (!node.is_boolean()) {
        error(node, path, "wrong type, expected true or false");
      } else {
        std::get<bool_spec>(spec->kind).ref(s_) = node.as_boolean()->get();
        ok = true;
      }
      global_origin_[path] = {path, node.source().begin.line, 1, ok};
    }
  }

  bool read_text(const toml::node& n, const std::string& path, const text_spec& spec) {
    if (!n.is_string()) {
      error(n, path, "wrong type, expected a string");
      return false;
    }
    std::string v = n.as_string()->get();
    if (auto problem = spec.check(v)) {
      error(n, path, std::move(*problem));
      return false;
    }
    spec.set(s_, std::move(v));
    return true;
  }

  template <class T>
  std::optional<double> read_number(const toml::node& n, const std::string& path,
                                    const number_spec<T>& spec) {
    std::string allowed = allowed_range(spec.min, spec.max);
    bool integer = spec.kind == unit::integer;
    if (integer ? !n.is_integer() : !n.is_number()) {
      error(n, path,
            std::string{"wrong type, expected "} + (integer ? "an integer" : "a number") +
                ", allowed " + allowed);
      return std::nullopt;
    }
    double v =
        n.is_integer() ? static_cast<double>(n.as_integer()->get()) : n.as_floating_point()->get();
    if (!(v >= spec.min && v <= spec.max)) {  // also refuses nan
      error(n, path, "out of range, allowed " + allowed);
      return std::nullopt;
    }
    return v;
  }

  // [alarms] keys set every phase; [alarms.<phase>] then overrides one phase, whatever the
  // order of the tables in the file.
  void read_alarms(const toml::table& alarms) {
    candidates known;
    for (const auto& key : phase_keys()) known.emplace_back(key.name, std::string{key.name});
    for (auto p : phase_table_names) known.emplace_back(p, "alarms." + std::string{p});

    for (auto&& [k, node] : alarms) {
      auto phase = std::find(std::begin(phase_table_names), std::end(phase_table_names), k.str());
      if (phase == std::end(phase_table_names)) {
        read_phase_key(node, "alarms", k.str(), {0, 1, 2}, 1, known);
      } else if (!node.is_table()) {
        error(node, "alarms." + std::string{k.str()}, "wrong type, expected a table");
      }
    }
    known.resize(phase_keys().size());
    for (std::size_t i = 0; i < 3; ++i) {
      const toml::table* t = alarms[phase_table_names[i]].as_table();
      if (!t) continue;
      std::string table = "alarms." + std::string{phase_table_names[i]};
      for (auto&& [k, node] : *t) read_phase_key(node, table, k.str(), {i}, 2, known);
    }
  }

  void read_phase_key(const toml::node& n, const std::string& table, std::string_view name,
                      std::initializer_list<std::size_t> phases, int rank,
                      const candidates& known) {
    std::string path = table + "." + std::string{name};
    const phase_key_spec* spec = find_phase_key(name);
    if (!spec) {
      unknown(n, path, name, known);
      return;
    }
    auto v = read_number(n, path, spec->spec);
    for (std::size_t i : phases) {
      if (v) set_number(spec->spec, s_.engine.phases[i], *v);
      phase_origin_[i][spec->name] = {path, n.source().begin.line, rank, v.has_value()};
    }
  }

  void check_rules() {
    for (std::size_t i = 0; i < 3; ++i) {
      auto value_of = [&](std::string_view name) {
        return get_number(find_phase_key(name)->spec, s_.engine.phases[i]).value_or(0);
      };
      for (const auto& rule : phase_rules()) check_rule(rule, value_of, phase_origin_[i]);
    }
    auto value_of = [&](std::string_view path) {  // "table.key"
      auto dot = path.find('.');
      const key_spec* spec = find_global_key(path.substr(0, dot), path.substr(dot + 1));
      return get_number(std::get<number_spec<daemon_settings>>(spec->kind), s_).value_or(0);
    };
    for (const auto& rule : global_rules()) check_rule(rule, value_of, global_origin_);
  }

  template <class Map, class ValueOf>
  void check_rule(const order_rule& rule, const ValueOf& value_of, const Map& origins) {
    auto origin_of = [&](std::string_view key) {
      auto it = origins.find(key);
      return it != origins.end() ? it->second : origin{std::string{key}};
    };
    origin a = origin_of(rule.a), b = origin_of(rule.b);
    double va = value_of(rule.a), vb = value_of(rule.b);
    if (!a.valid || !b.valid || holds(vb, rule.rel, va)) return;
    // Blame the more specific setting: the one the user wrote over the one it contradicts.
    bool blame_b = b.rank >= a.rank;
    const origin& blamed = blame_b ? b : a;
    const origin& other = blame_b ? a : b;
    double other_value = blame_b ? va : vb;
    std::string other_text = other.rank == 0
                                 ? other.path + " (default " + format_number(other_value) + ")"
                                 : other.path + " = " + format_number(other_value);
    config_error e{file_,
                   blamed.line,
                   0,
                   blamed.path,
                   format_number(blame_b ? vb : va),
                   "must be " + std::string{op_text(blame_b ? rule.rel : flipped(rule.rel))} + " " +
                       other_text};
    // [alarms] values are checked once per phase: report each contradiction once.
    if (reported_.insert(e.to_string()).second) errors_.push_back(std::move(e));
  }

  void check_tls() {
    // A key already reported is unset now: the rules would blame its partner for it.
    for (const char* key :
         {"mqtt.broker_uri", "mqtt.tls_ca_file", "mqtt.tls_cert_file", "mqtt.tls_key_file"}) {
      auto it = global_origin_.find(key);
      if (it != global_origin_.end() && !it->second.valid) return;
    }
    auto in_file = [](std::string_view key) { return "mqtt." + std::string{key}; };
    for (auto& p : tls_problems(s_.mqtt, in_file)) {
      const std::string path = in_file(p.key);
      const auto* text = std::get_if<text_spec>(&find_global_key("mqtt", p.key)->kind);
      errors_.push_back({file_, global_origin_.at(path).line, 0, path,
                         toml_string(text->get(s_).value_or("")), std::move(p.message)});
    }
  }

  // A password for a database that takes none would be a mistake the operator should hear of.
  void check_store() {
    const auto it = global_origin_.find("store.credentials_file");
    if (it == global_origin_.end() || !it->second.valid || !s_.store.credentials_file) return;
    if (s_.store.shared()) return;
    errors_.push_back({file_, it->second.line, 0, "store.credentials_file",
                       toml_string(*s_.store.credentials_file),
                       "only used with a postgresql:// store.url, but the store is " +
                           toml_string(s_.store.url_or_default(s_.state_dir))});
  }

  std::string file_;
  daemon_settings s_;
  std::vector<config_error> errors_;
  std::set<std::string> reported_;
  std::map<std::string, origin, std::less<>> global_origin_;                     // by "table.key"
  std::array<std::map<std::string_view, origin, std::less<>>, 3> phase_origin_;  // by key name
};

}  // namespace

std::string config_error::to_string() const {
  // Appends only: GCC 12's -Wrestrict misfires on `"x" + std::string` in Release builds.
  std::string out = file;
  if (line != 0) out.append(":").append(std::to_string(line));
  if (column != 0) out.append(":").append(std::to_string(column));
  out.append(": ");
  if (!key.empty()) {
    out.append(key);
    if (!value.empty()) out.append(" = ").append(value);
    out.append(": ");
  }
  return out.append(message);
}

load_result parse(std::string_view text, std::string_view file_name) {
  return parser{file_name}.run(text);
}

load_result load_file(const std::string& path) {
  auto failed = [&](std::string why) {
    return load_result{std::nullopt, {{path, 0, 0, {}, {}, "cannot read file: " + why}}};
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return failed("is a directory");
  std::ifstream in{path, std::ios::binary};
  if (!in) return failed(std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return failed(std::strerror(errno));
  return parse(text.str(), path);
}

std::vector<config_error> apply_overrides(daemon_settings& s, const overrides& o) {
  return apply_overrides(s.mqtt, o);
}

std::vector<config_error> apply_overrides(mqtt_settings& m, const overrides& o) {
  std::vector<config_error> errors;
  auto apply = [&](const std::optional<std::string>& v, const char* flag, text_check check,
                   std::string& field) {
    if (!v) return;
    if (auto problem = check(*v)) {
      errors.push_back({"command line", 0, 0, flag, toml_string(*v), std::move(*problem)});
    } else {
      field = *v;
    }
  };
  apply(o.broker_uri, "--broker", check_broker_uri, m.broker_uri);
  apply(o.prefix, "--prefix", check_prefix, m.prefix);
  apply(o.instance, "--instance", check_instance, m.instance);
  const auto tls_keys = tls_keys_set(m);
  const bool broker_applied = o.broker_uri && m.broker_uri == *o.broker_uri;
  if (broker_applied && !m.uses_tls() && !tls_keys.empty()) {
    errors.push_back({"command line", 0, 0, "--broker", toml_string(*o.broker_uri),
                      "not TLS, but mqtt." + std::string{tls_keys.front()} + " is set; use " +
                          std::string{tls_schemes}});
  }
  return errors;
}

}  // namespace vigil::settings

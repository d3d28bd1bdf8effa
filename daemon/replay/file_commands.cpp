// The subcommands that need no broker: import-csv, offline, check.
#include <cstdio>
#include <iostream>

#include "codec/codec.hpp"
#include "replay/commands.hpp"
#include "replay/csv_import.hpp"
#include "replay/offline.hpp"
#include "settings/settings.hpp"

namespace vigil::replay {

int run_import(const import_args& a) {
  import_options opts;
  opts.bed = a.bed;
  opts.start_ms = a.start_ms;
  opts.prefix = a.prefix;
  opts.source = "vigil-replay import-csv " + a.csv + " --bed " + a.bed + " --start-ms " +
                std::to_string(a.start_ms);
  const import_result r = import_csv(a.csv, a.out, opts);
  for (const auto& e : r.errors) std::cerr << e.to_string() << '\n';
  if (!r.errors.empty()) {
    std::cerr << a.csv << ": " << r.errors.size() << " error(s); nothing written\n";
  }
  if (!r.io_error.empty()) std::cerr << r.io_error << '\n';
  return r.ok() ? exit_ok : exit_bad_input;
}

bool configure(const std::optional<std::string>& config, const std::optional<std::string>& prefix,
               offline_options& opts) {
  if (config) {
    const settings::load_result loaded = settings::load_file(*config);
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << '\n';
    if (!loaded.settings) return false;
    opts.engine = loaded.settings->engine;
    opts.prefix = loaded.settings->mqtt.prefix;
  }
  if (prefix) opts.prefix = *prefix;
  return true;
}

int run_offline(const offline_args& a) {
  offline_options opts;
  opts.accept_truncated_tail = !a.strict;
  if (!configure(a.config, a.prefix, opts)) return exit_bad_input;

  // Printed only once the whole recording has played, so a bad file prints no partial output.
  std::string lines;
  const offline_report r = play_offline(a.recording, opts, [&](const core::alarm_event& e) {
    lines += codec::to_json_line(e);
    lines += '\n';
  });
  for (const auto& w : r.warnings) std::cerr << a.recording << ": warning: " << w << '\n';
  if (r.error) {
    std::cerr << a.recording << ": " << r.error->message << '\n';
    return exit_bad_input;
  }
  std::fwrite(lines.data(), 1, lines.size(), stdout);
  return std::fflush(stdout) == 0 ? exit_ok : exit_bad_input;
}

int run_check(const std::string& recording) {
  io::recording_reader reader;
  if (!reader.open(recording)) {
    std::cerr << recording << ": " << reader.error()->message << '\n';
    return exit_bad_input;
  }
  std::uint64_t frames = 0;
  std::optional<core::time_ms> first, last, end;
  while (auto f = reader.next()) {
    if (f->kind == io::frame_kind::end) {
      end = f->time;
      continue;
    }
    ++frames;
    if (!first) first = f->time;
    last = f->time;
  }
  if (reader.error()) {
    std::cerr << recording << ": " << reader.error()->message << '\n';
    return exit_bad_input;
  }
  const auto& h = reader.header();
  std::cout << recording << ": format " << h.version << ", created " << h.created_at_ms
            << " ms, source \"" << h.source << "\"\n"
            << frames << " frames";
  if (first) std::cout << ", receive times " << *first << " .. " << *last << " ms";
  if (end) std::cout << ", end " << *end << " ms";
  std::cout << ", " << reader.good_bytes() << " bytes\n";
  return exit_ok;
}

}  // namespace vigil::replay

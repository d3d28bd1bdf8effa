// vigil-replay report: a recording's sessions through the engine and the record keeper, as
// vigild keeps them, rendered as each session's PDF and FHIR bundle.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/engine_books.hpp"
#include "record/book.hpp"
#include "record/keeper.hpp"
#include "replay/commands.hpp"
#include "replay/offline.hpp"
#include "report/report.hpp"

namespace vigil::replay {

int run_report(const report_args& a) {
  offline_options opts;
  if (!configure(a.config, a.prefix, opts)) return exit_bad_input;
  record::keeper keeper;
  record::book book;
  core::time_ms end_ms = 0;
  opts.on_output = [&](const core::engine_output& out, core::engine& engine, core::time_ms now) {
    core::engine_books books(engine);
    record::rows rows;
    keeper.take(out, books, now, rows);
    book.add(std::move(rows));
    end_ms = now;
  };
  const offline_report r = play_offline(a.recording, opts, [](const core::alarm_event&) {});
  for (const auto& w : r.warnings) std::cerr << a.recording << ": warning: " << w << '\n';
  if (r.error) {
    std::cerr << a.recording << ": " << r.error->message << '\n';
    return exit_bad_input;
  }
  record::rows last;
  keeper.close_all(last);
  book.add(std::move(last));

  const auto records = book.records(record::limits_of(opts.engine), end_ms,
                                    std::string("vigil-replay ") + VIGIL_VERSION);
  if (records.empty()) {
    std::cerr << a.recording << ": no infusion session in this recording: no record written\n";
    return exit_bad_input;
  }
  std::error_code ec;
  std::filesystem::create_directories(a.out_dir, ec);
  for (const auto& rec : records) {
    const auto stem = std::filesystem::path(a.out_dir) / record::file_stem(rec.info);
    try {
      // "Generated at" the record's own end: the same recording gives the same page.
      report::write_pdf(rec, stem.string() + ".pdf", rec.until_ms);
      const std::string fhir = report::fhir_bundle(rec);
      std::ofstream out(stem.string() + ".fhir.json", std::ios::binary | std::ios::trunc);
      out.write(fhir.data(), static_cast<std::streamsize>(fhir.size()));
      out.put('\n');
      if (!out.flush()) throw std::runtime_error(stem.string() + ".fhir.json: cannot write");
    } catch (const std::exception& e) {
      std::cerr << e.what() << '\n';
      return exit_bad_input;
    }
    std::cout << stem.string() << ".pdf\n" << stem.string() << ".fhir.json\n";
  }
  return exit_ok;
}

}  // namespace vigil::replay

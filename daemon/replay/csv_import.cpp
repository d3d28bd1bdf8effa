#include "replay/csv_import.hpp"

#include <chrono>
#include <cstdio>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "io/recording.hpp"

namespace vigil::replay {
namespace {

codec::input_kind kind_of(const csv_message& m) {
  constexpr codec::input_kind kinds[] = {
      codec::input_kind::heart_rate, codec::input_kind::blood_pressure,
      codec::input_kind::monitor_status, codec::input_kind::infusion, codec::input_kind::ack};
  static_assert(std::size(kinds) == std::variant_size_v<csv_message>);
  return kinds[m.index()];
}

std::error_code write_recording(const std::filesystem::path& path,
                                const io::recording_header& header,
                                const std::vector<csv_item>& items, const import_options& opts) {
  io::recording_writer w;
  // One write at close instead of one per frame: an interrupted import is discarded anyway.
  if (auto ec = w.open(path, header, {.flush_each_frame = false, .exclusive = false})) return ec;
  for (const auto& item : items) {
    const std::string topic = codec::input_topic_name(opts.prefix, opts.bed, kind_of(item.message));
    const std::string payload =
        std::visit([](const auto& m) { return codec::encode(m); }, item.message);
    if (auto ec = w.append(item.time, topic, payload)) return ec;
  }
  return w.close();
}

// Plain fread: GCC 12 -O2 reports a false -Wnull-dereference inside istreambuf_iterator.
bool read_file(const std::filesystem::path& path, std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  char chunk[65536];
  std::size_t n = 0;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) text.append(chunk, n);
  const bool ok = std::ferror(f) == 0;
  std::fclose(f);
  return ok;
}

}  // namespace

import_result import_csv(const std::filesystem::path& csv, const std::filesystem::path& out,
                         const import_options& opts) {
  import_result r;
  std::string text;
  if (!read_file(csv, text)) {
    r.io_error = csv.string() + ": cannot read";
    return r;
  }
  auto parsed = parse_session_csv(text, csv.string(), {opts.bed, opts.start_ms});
  r.errors = std::move(parsed.errors);
  if (!r.errors.empty()) return r;

  io::recording_header header;
  header.created_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  header.source = opts.source;
  std::filesystem::path tmp = out;
  tmp += ".tmp";
  std::error_code ec = write_recording(tmp, header, parsed.items, opts);
  if (!ec) std::filesystem::rename(tmp, out, ec);
  if (ec) {
    std::filesystem::remove(tmp);  // best effort; the error below is what matters
    r.io_error = out.string() + ": " + ec.message();
    return r;
  }
  r.frames = parsed.items.size();
  return r;
}

}  // namespace vigil::replay

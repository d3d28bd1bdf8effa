#include "io/daily_recorder.hpp"

#include <chrono>
#include <cstdio>

#include "codec/topics.hpp"

namespace vigil::io {
namespace {

constexpr core::time_ms ms_per_day = 86'400'000;

std::int64_t day_of(core::time_ms t) {
  return t >= 0 ? t / ms_per_day : (t + 1) / ms_per_day - 1;  // floor, also before 1970
}

std::string date_of(std::int64_t day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace

daily_recorder::daily_recorder(std::filesystem::path dir, std::string source)
    : dir_(std::move(dir)), source_(std::move(source)) {}

daily_recorder::~daily_recorder() = default;

std::filesystem::path daily_recorder::path_for(const std::filesystem::path& dir,
                                               std::string_view bed, core::time_ms time) {
  return dir / date_of(day_of(time)) / (std::string(bed) + ".rec");
}

std::error_code daily_recorder::open_for(const std::string& bed, std::int64_t day,
                                         core::time_ms time, open_file& f) {
  const std::filesystem::path first = path_for(dir_, bed, time);
  std::error_code ec;
  std::filesystem::create_directories(first.parent_path(), ec);
  if (ec) return ec;
  const recording_header header{format_version, time, source_ + " bed " + bed};
  for (int part = 0;; ++part) {
    std::filesystem::path p = first;
    if (part > 0) p.replace_filename(bed + "+" + std::to_string(part) + ".rec");
    ec = f.writer.open(p, header, {.flush_each_frame = true, .exclusive = true});
    if (ec != std::errc::file_exists) break;
  }
  if (!ec) f.day = day;
  return ec;
}

std::error_code daily_recorder::append(std::string_view bed, core::time_ms time,
                                       std::string_view topic, std::string_view payload) {
  if (!codec::valid_bed_id(bed)) return std::make_error_code(std::errc::invalid_argument);
  const std::int64_t day = day_of(time);
  auto it = files_.find(bed);
  if (it == files_.end()) it = files_.emplace(std::string(bed), open_file{}).first;
  open_file& f = it->second;
  if (f.writer.is_open() && f.day != day) {
    // The old day's file ends where its day does, so replaying it fires that day's deadlines.
    if (auto ec = f.writer.close((f.day + 1) * ms_per_day - 1)) return ec;
  }
  if (!f.writer.is_open()) {
    if (auto ec = open_for(it->first, day, time, f)) return ec;
  }
  return f.writer.append(time, topic, payload);
}

std::error_code daily_recorder::sync() {
  std::error_code first;
  for (auto& [bed, f] : files_) {
    if (!f.writer.is_open()) continue;
    if (auto ec = f.writer.sync(); ec && !first) first = ec;
  }
  return first;
}

std::error_code daily_recorder::close_all(core::time_ms now) {
  std::error_code first;
  for (auto& [bed, f] : files_) {
    if (!f.writer.is_open()) continue;
    if (auto ec = f.writer.close(now); ec && !first) first = ec;
  }
  files_.clear();
  return first;
}

}  // namespace vigil::io

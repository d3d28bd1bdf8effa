#include "store/legacy_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/crc.hpp>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "store/bed_record.hpp"

namespace vigil::store::legacy {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view magic1 = "VIGILST1";
constexpr std::size_t record_header = magic1.size() + 8;  // magic, u32 length, u32 crc32
constexpr std::string_view magic2 = "VIGILST2";
constexpr std::size_t page = 4096;
constexpr std::size_t slot_header = 12;                  // u64 sequence number, u32 crc32
constexpr std::size_t max_slot = std::size_t{64} << 20;  // no bed's state comes near

std::uint32_t get_u32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i])) << (8 * i);
  return v;
}
std::uint64_t get_u64(const std::string& s, std::size_t at) {
  return static_cast<std::uint64_t>(get_u32(s, at)) |
         (static_cast<std::uint64_t>(get_u32(s, at + 4)) << 32);
}
std::uint32_t crc32(std::string_view a, std::string_view b = {}) {
  boost::crc_32_type crc;
  crc.process_bytes(a.data(), a.size());
  crc.process_bytes(b.data(), b.size());
  return crc.checksum();
}

std::optional<core::bed_state> parse_record(const std::string& bytes, std::string& error) {
  if (bytes.size() < record_header || bytes.compare(0, magic1.size(), magic1) != 0) {
    error = "not a vigild state file (bad magic or shorter than its header)";
    return std::nullopt;
  }
  const std::uint32_t length = get_u32(bytes, magic1.size());
  if (bytes.size() - record_header != length) {
    error = "length " + std::to_string(length) + " does not match the " +
            std::to_string(bytes.size() - record_header) + " bytes present";
    return std::nullopt;
  }
  const std::string_view payload(bytes.data() + record_header, length);
  if (crc32(payload) != get_u32(bytes, magic1.size() + 4)) {
    error = "checksum mismatch";
    return std::nullopt;
  }
  return decode_bed(payload, error);
}

struct slot_view {
  bool empty = false;  // never written (all zeros)
  std::string damage;  // why it is not intact; empty if intact
  std::uint64_t seq = 0;
  std::string record;
};

slot_view read_slot(const std::string& file, std::size_t at, std::size_t size) {
  slot_view v;
  if (std::string_view(file.data() + at, size).find_first_not_of('\0') == std::string::npos) {
    v.empty = true;
    v.damage = "empty";
    return v;
  }
  const std::size_t rec = at + slot_header;
  if (file.compare(rec, magic1.size(), magic1) != 0) {
    v.damage = "no record";
    return v;
  }
  const std::size_t length = get_u32(file, rec + magic1.size());
  if (length > size - slot_header - record_header) {
    v.damage = "record longer than its slot";
    return v;
  }
  v.record = file.substr(rec, record_header + length);
  v.seq = get_u64(file, at);
  if (crc32(std::string_view(file.data() + at, 8), v.record) != get_u32(file, at + 8)) {
    v.damage = "checksum mismatch";
  }
  return v;
}

std::string utc_stamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char s[32];
  std::strftime(s, sizeof s, "%Y%m%dT%H%M%SZ", &tm);
  return s;
}

void sync_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const bool ok = fd >= 0 && ::fsync(fd) == 0;
  const std::string cause = ok ? "" : std::strerror(errno);
  if (fd >= 0) ::close(fd);
  if (!ok) throw store_error("cannot fsync " + dir.string() + ": " + cause);
}

}  // namespace

std::optional<core::bed_state> parse_file(const std::string& bytes, std::string& error,
                                          std::string& warning) {
  if (bytes.compare(0, magic2.size(), magic2) != 0) return parse_record(bytes, error);
  if (bytes.size() < page || crc32(std::string_view(bytes.data(), 12)) != get_u32(bytes, 12)) {
    error = "damaged header";
    return std::nullopt;
  }
  const std::size_t size = get_u32(bytes, magic2.size());
  if (size < page || size % page != 0 || size > max_slot) {
    error = "slot size " + std::to_string(size) + " out of range";
    return std::nullopt;
  }
  if (bytes.size() != page + 2 * size) {
    error = "size " + std::to_string(bytes.size()) + " is not 4096 + 2 x slot size " +
            std::to_string(size);
    return std::nullopt;
  }
  const slot_view s[2] = {read_slot(bytes, page, size), read_slot(bytes, page + size, size)};
  const bool ok0 = s[0].damage.empty(), ok1 = s[1].damage.empty();
  if (!ok0 && !ok1) {
    error = "no intact slot (slot 0: " + s[0].damage + "; slot 1: " + s[1].damage + ")";
    return std::nullopt;
  }
  const int use = ok0 && ok1 ? (s[1].seq > s[0].seq ? 1 : 0) : (ok0 ? 0 : 1);
  const slot_view& other = s[1 - use];
  if (!other.empty && !other.damage.empty()) {
    warning = "slot " + std::to_string(1 - use) + " not intact (" + other.damage +
              ": a save cut off by a crash?); restored from slot " + std::to_string(use) +
              ", save " + std::to_string(s[use].seq);
  }
  return parse_record(s[use].record, error);
}

migration_report migrate(const fs::path& state_dir, store& into) {
  migration_report report;
  const fs::path beds = state_dir / "beds";
  std::error_code ec;
  if (!fs::is_directory(beds, ec)) return report;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(beds)) {
    if (entry.path().extension() == ".state") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  report.files = files.size();
  std::vector<bed_row> rows;
  const std::string stamp = utc_stamp();
  for (const auto& p : files) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    std::string error, warning;
    std::optional<core::bed_state> bed;
    if (!in) {
      error = "unreadable";
    } else {
      bed = parse_file(buf.str(), error, warning);
    }
    if (bed && p.filename() != "bed-" + bed->id + ".state") {
      error = "holds bed '" + bed->id + "', which is not the bed its name says";
      bed.reset();
    }
    if (bed) {
      if (!warning.empty()) report.warnings.push_back(p.string() + ": " + warning);
      rows.push_back(make_row(*bed));
      continue;
    }
    const fs::path aside = state_dir / "corrupt" / (p.filename().string() + "." + stamp);
    fs::create_directories(aside.parent_path(), ec);
    fs::rename(p, aside, ec);
    report.problems.push_back(
        p.string() + ": " + error +
        (ec ? "; could not move it aside: " + ec.message() : "; moved to " + aside.string()));
  }
  report.imported = into.import(rows);
  report.kept = rows.size() - report.imported;
  // Only once the beds are committed: a crash before this leaves the files for the next start,
  // whose import then keeps what the store already has.
  report.moved_to = state_dir / ("beds.migrated-" + stamp);
  fs::rename(beds, report.moved_to, ec);
  if (ec) {
    throw store_error("imported " + std::to_string(rows.size()) + " bed(s) but cannot move " +
                      beds.string() + " to " + report.moved_to.string() + ": " + ec.message());
  }
  sync_dir(state_dir);
  return report;
}

}  // namespace vigil::store::legacy

#include "hl7/mllp.hpp"

#include <utility>

#include "hl7/text.hpp"

namespace vigil::hl7 {

namespace {

mllp_item error_item(std::string text) {
  mllp_item item;
  item.error = std::move(text);
  return item;
}

std::string junk_text(std::size_t n) {
  return cat(n, n == 1 ? " byte" : " bytes",
             " outside an MLLP frame (not 0x0B ... 0x1C 0x0D) dropped");
}

}  // namespace

mllp_reader::mllp_reader(std::size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}

void mllp_reader::feed(std::string_view bytes) {
  if (pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
  } else if (pos_ > 4096 && pos_ > buffer_.size() / 2) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  buffer_.append(bytes);
}

bool mllp_reader::mid_frame() const {
  return state_ == state::inside || state_ == state::after_end;
}

std::optional<mllp_item> mllp_reader::next() {
  while (pos_ < buffer_.size()) {
    switch (state_) {
      case state::outside:
      case state::skipping: {
        const auto start = buffer_.find(mllp_start, pos_);
        const std::size_t stop = start == std::string::npos ? buffer_.size() : start;
        if (state_ == state::outside) junk_ += stop - pos_;
        pos_ = stop;
        if (start == std::string::npos) break;
        ++pos_;
        state_ = state::inside;
        frame_.clear();
        if (junk_ > 0) {
          const std::size_t n = std::exchange(junk_, 0);
          return error_item(junk_text(n));
        }
        break;
      }
      case state::inside: {
        const auto stop = buffer_.find_first_of(std::string_view("\x0B\x1C", 2), pos_);
        const std::size_t end = stop == std::string::npos ? buffer_.size() : stop;
        const std::size_t n = end - pos_;
        if (frame_.size() + n > max_frame_bytes_) {
          frame_.clear();
          frame_.shrink_to_fit();
          pos_ = end;
          state_ = state::skipping;
          return error_item(cat("MLLP frame longer than ", max_frame_bytes_,
                                " bytes dropped; skipping to the next 0x0B"));
        }
        frame_.append(buffer_, pos_, n);
        pos_ = end;
        if (stop == std::string::npos) break;
        if (buffer_[pos_] == mllp_start) {
          // A new frame begins before this one ended: this one was cut off.
          ++pos_;
          const std::size_t cut = frame_.size();
          frame_.clear();
          return error_item(
              cat("MLLP frame cut off after ", cut, " bytes by a new 0x0B; reading the new frame"));
        }
        ++pos_;
        state_ = state::after_end;
        break;
      }
      case state::after_end: {
        const char c = buffer_[pos_];
        if (c == mllp_cr) {
          ++pos_;
          state_ = state::outside;
          mllp_item item;
          item.is_frame = true;
          item.frame = std::move(frame_);
          frame_.clear();
          return item;
        }
        frame_.clear();
        if (c == mllp_start) {
          ++pos_;
          state_ = state::inside;
        } else {
          state_ = state::skipping;
        }
        return error_item("MLLP frame end 0x1C not followed by 0x0D; frame dropped");
      }
    }
  }
  // Everything read: report stray bytes now rather than wait for a 0x0B that may never come.
  if (state_ == state::outside && junk_ > 0) {
    const std::size_t n = std::exchange(junk_, 0);
    return error_item(junk_text(n));
  }
  return std::nullopt;
}

std::string mllp_wrap(std::string_view message) {
  std::string out;
  out.reserve(message.size() + 3);
  out.push_back(mllp_start);
  out.append(message);
  out.push_back(mllp_end);
  out.push_back(mllp_cr);
  return out;
}

}  // namespace vigil::hl7

// One end of the runner's socket pair: whole messages in, the end of the stream and garbage told
// apart, and a reader asleep in receive() woken only by what it waits for.
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "runner/channel.hpp"
#include "runner/frames.hpp"

namespace secpilot::runner {
namespace {

struct SocketPair {
  int fds[2] = {-1, -1};
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0); }
  ~SocketPair() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
  void close_end(int which) {
    ::close(fds[which]);
    fds[which] = -1;
  }
};

void write_frame(int fd, const boost::json::object& message) {
  const std::string frame = encode_frame(message);
  ASSERT_EQ(::write(fd, frame.data(), frame.size()), static_cast<ssize_t>(frame.size()));
}

// The scheduler's state of a thread of this process ('S': asleep, waiting for an event).
char thread_state(pid_t tid) {
  std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto close_paren = line.rfind(')');
  return close_paren == std::string::npos || close_paren + 2 >= line.size() ? '?'
                                                                            : line[close_paren + 2];
}

bool wait_until_asleep(pid_t tid) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (thread_state(tid) != 'S')
    if (std::chrono::steady_clock::now() > give_up) return false;
  return true;
}

TEST(Channel, ReceiveReturnsEachMessageThenTheEndOfTheStream) {
  SocketPair pair;
  write_frame(pair.fds[1], {{"type", "log"}, {"message", "one"}});
  write_frame(pair.fds[1], {{"type", "result"}, {"id", 7}});
  pair.close_end(1);
  Channel channel(pair.fds[0]);
  auto first = channel.receive();
  ASSERT_TRUE(first);
  EXPECT_EQ(message_string(*first, "message"), "one");
  auto second = channel.receive();
  ASSERT_TRUE(second);
  EXPECT_EQ(message_number(*second, "id"), 7);
  EXPECT_FALSE(channel.receive());
  EXPECT_EQ(channel.error(), "") << "a closed peer is the end of the stream, not an error";
}

TEST(Channel, ReceiveNamesGarbageFromThePeer) {
  SocketPair pair;
  const std::string frame = encode_frame(std::string_view("not json"));
  ASSERT_EQ(::write(pair.fds[1], frame.data(), frame.size()), static_cast<ssize_t>(frame.size()));
  Channel channel(pair.fds[0]);
  EXPECT_FALSE(channel.receive());
  EXPECT_NE(channel.error().find("not JSON"), std::string::npos) << channel.error();
}

// A thread asleep in a blocking recv() is also woken whenever the peer reads a frame this end
// sent (the socket's write-space wake-up): in the runner that was a wasted wake-up of another
// core on every call. receive() must sleep through those and wake for its message only.
TEST(Channel, AReaderSleepsWhileThePeerReadsWhatItSent) {
  SocketPair pair;
  constexpr int kFrames = 8;
  std::atomic<pid_t> reader_tid{0};
  long sleeps = -1;
  std::optional<boost::json::object> received;
  std::thread reader([&] {
    Channel channel(pair.fds[0]);
    for (int i = 0; i < kFrames; ++i)
      ASSERT_TRUE(channel.send(boost::json::object{{"type", "log"}, {"n", i}}));
    rusage before{};
    ::getrusage(RUSAGE_THREAD, &before);
    reader_tid = ::gettid();
    received = channel.receive();
    rusage after{};
    ::getrusage(RUSAGE_THREAD, &after);
    sleeps = after.ru_nvcsw - before.ru_nvcsw;
  });
  while (reader_tid == 0)
    std::this_thread::yield();
  const std::size_t frame_size =
      encode_frame(boost::json::object{{"type", "log"}, {"n", 0}}).size();
  std::string frame(frame_size, '\0');
  for (int i = 0; i < kFrames; ++i) {
    ASSERT_TRUE(wait_until_asleep(reader_tid)) << "the reader never went to sleep";
    // One frame at a time: reading it frees what the reader sent, a write-space wake-up.
    ASSERT_EQ(::recv(pair.fds[1], frame.data(), frame.size(), MSG_WAITALL),
              static_cast<ssize_t>(frame.size()));
    EXPECT_NE(frame.find("\"n\":" + std::to_string(i)), std::string::npos) << frame;
  }
  ASSERT_TRUE(wait_until_asleep(reader_tid));
  write_frame(pair.fds[1], {{"type", "result"}, {"id", 1}});
  reader.join();
  ASSERT_TRUE(received);
  EXPECT_EQ(message_string(*received, "type"), "result");
  // Once for the result; a second time at most if the result arrived while it was waking.
  EXPECT_LE(sleeps, 2) << "woken " << sleeps << " times for one message";
}

}  // namespace
}  // namespace secpilot::runner

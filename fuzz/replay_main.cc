// Replays every file of a corpus directory through LLVMFuzzerTestOneInput (for compilers without libFuzzer).
// Prints "N passed, 0 failed"; a crash fails the test.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::string text = bytes.str();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(text.data()), text.size());
    // Each line of a corpus file is also one input.
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(line.data()), line.size());
      ++count;
    }
  }
  std::printf("fuzz corpus: %d passed, 0 failed\n", count);
  return count > 0 ? 0 : 1;
}

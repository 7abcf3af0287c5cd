// fuzz_bls_seed_corpus <out-dir> <spring_bls_keys.txt>: seeds for the BLS fuzz targets, made at test
// time from Spring's keys (tests/unit/crypto/bls/data): their string forms for bls_string, and
// their points' bytes (with each fuzz_bls_point path's selector byte) for bls_point, plus the
// identities and the order-3 point (0, 2). Exit 0 on success, 1 when the key file is unreadable
// or malformed, 2 on usage error.
#include "codec/codec.hpp"
#include "crypto/bls/private_key.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace core::bls;

namespace {

void write(const fs::path& dir, const std::string& name, std::span<const uint8_t> bytes) {
   std::ofstream f(dir / name, std::ios::binary);
   f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

std::vector<uint8_t> with_selector(uint8_t selector, std::span<const uint8_t> bytes) {
   std::vector<uint8_t> out{selector};
   out.insert(out.end(), bytes.begin(), bytes.end());
   return out;
}

} // namespace

int main(int argc, char** argv) {
   if (argc != 3) {
      std::fprintf(stderr, "usage: fuzz_bls_seed_corpus <out-dir> <spring_bls_keys.txt>\n");
      return 2;
   }
   const fs::path root = argv[1], point = root / "bls_point", string = root / "bls_string";
   fs::remove_all(root);
   fs::create_directories(point);
   fs::create_directories(string);
   std::ifstream keys(argv[2]);
   int n = 0;
   for (std::string line; std::getline(keys, line);) {
      if (line.empty() || line[0] == '#')
         continue;
      std::istringstream s(line);
      std::string pvt, pub, pop;
      s >> pvt >> pub >> pop;
      const auto k = public_key::parse(pub);
      const auto p = signature::parse(pop);
      if (!private_key::parse(pvt) || !k || !p) {
         std::fprintf(stderr, "fuzz_bls_seed_corpus: bad key line: %s\n", line.c_str());
         return 1;
      }
      const std::string i = std::to_string(n++);
      for (const std::string* text : {&pvt, &pub, &pop})
         write(string, i + text->substr(0, 3), {reinterpret_cast<const uint8_t*>(text->data()), text->size()});
      write(point, i + "_pk", with_selector(0, k->bytes()));
      write(point, i + "_sig", with_selector(1, p->bytes()));
      write(point, i + "_pk_wire", with_selector(2, core::pack(*k)));
      write(point, i + "_sig_wire", with_selector(3, core::pack(*p)));
      write(point, i + "_x1", with_selector(4, std::span(k->bytes()).first(64)));
      write(point, i + "_x2", with_selector(5, std::span(p->bytes()).first(128)));
   }
   if (n == 0) {
      std::fprintf(stderr, "fuzz_bls_seed_corpus: no keys in %s\n", argv[2]);
      return 1;
   }
   write(point, "identity_pk", with_selector(0, std::vector<uint8_t>(96, 0)));
   write(point, "identity_sig", with_selector(1, std::vector<uint8_t>(192, 0)));
   std::vector<uint8_t> order3(96, 0);
   order3[48] = 2;
   write(point, "order3", with_selector(0, order3));
   return 0;
}

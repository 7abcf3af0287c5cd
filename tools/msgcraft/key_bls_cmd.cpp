// msgcraft key bls: Spring's BLS finalizer keys (new, public, pop), signing, verification and
// aggregation, in Spring's string forms (PVT_BLS_, PUB_BLS_, SIG_BLS_). See msgcraft(1).
#include "commands.hpp"
#include "input.hpp"

#include "codec/hex.hpp"
#include "crypto/bls/private_key.hpp"
#include "crypto/bls/verify.hpp"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <memory>
#include <ostream>
#include <sstream>
#include <type_traits>
#include <utility>
#include <vector>

namespace msgcraft {

namespace {

namespace bls = core::bls;

/// Largest text `aggregate -` reads from stdin: a few thousand signatures.
constexpr std::size_t max_aggregate_text_bytes = 1024 * 1024;

struct bls_options {
   bool json = false;
   std::string key;                ///< PVT_BLS_ (positional or --key)
   std::string pub;                ///< --pub
   std::string sig;                ///< --sig
   std::string message;            ///< --message, hex
   std::vector<std::string> items; ///< aggregate's arguments
};

/// Text lines, or one JSON object of string fields.
void print(std::ostream& out, bool json, const std::vector<std::pair<const char*, std::string>>& fields) {
   if (!json) {
      for (const auto& f : fields)
         out << f.second << '\n';
      return;
   }
   rapidjson::StringBuffer sb;
   rapidjson::Writer<rapidjson::StringBuffer> w(sb);
   w.StartObject();
   for (const auto& [k, v] : fields) {
      w.Key(k);
      w.String(v.c_str(), rapidjson::SizeType(v.size()));
   }
   w.EndObject();
   out << sb.GetString() << '\n';
}

/// A PVT_BLS_ argument (or "-": one from stdin). Errors never repeat the key.
core::result<bls::private_key> private_key_arg(const std::string& arg, std::istream& in) {
   auto text = read_key_argument(arg, in);
   if (!text)
      return core::unexpected{text.error()};
   return bls::private_key::from_string(*text);
}

template <class T>
core::result<T> public_arg(const char* what, const std::string& arg, std::istream& in) {
   auto text = read_key_argument(arg, in);
   if (!text)
      return core::unexpected{fmt::format("{}: {}", what, text.error())};
   auto v = T::from_string(*text);
   if (!v)
      return core::unexpected{fmt::format("{}: {}", what, v.error())};
   return v;
}

core::result<std::vector<uint8_t>> message_arg(const std::string& hex) {
   auto bytes = core::from_hex(hex);
   if (!bytes)
      return core::unexpected{std::string("--message: not hex (an even number of hex digits)")};
   return std::move(*bytes);
}

int run_new(const bls_options& o, const streams& io) {
   const auto k = bls::private_key::generate();
   const std::string pvt = k.to_string(), pub = k.get_public_key().to_string(),
                     pop = k.proof_of_possession().to_string();
   if (o.json)
      print(io.out, true, {{"private_key", pvt}, {"public_key", pub}, {"proof_of_possession", pop}});
   else // spring-util bls create key --to-console
      io.out << "Private key: " << pvt << "\nPublic key: " << pub << "\nProof of Possession: " << pop << '\n';
   return exit_ok;
}

int run_public(const bls_options& o, const streams& io) {
   const auto k = private_key_arg(o.key, io.in);
   if (!k)
      return fail(io.err, k.error());
   print(io.out, o.json, {{"public_key", k->get_public_key().to_string()}});
   return exit_ok;
}

int run_pop(const bls_options& o, const streams& io) {
   const auto k = private_key_arg(o.key, io.in);
   if (!k)
      return fail(io.err, k.error());
   print(io.out, o.json, {{"proof_of_possession", k->proof_of_possession().to_string()}});
   return exit_ok;
}

int run_sign(const bls_options& o, const streams& io) {
   const auto msg = message_arg(o.message);
   if (!msg)
      return fail(io.err, msg.error());
   const auto k = private_key_arg(o.key, io.in);
   if (!k)
      return fail(io.err, k.error());
   print(io.out, o.json, {{"signature", k->sign(*msg).to_string()}});
   return exit_ok;
}

int run_verify(const bls_options& o, const streams& io) {
   if (o.pub == "-" && o.sig == "-")
      throw usage_error("--pub and --sig cannot both read standard input");
   const auto msg = message_arg(o.message);
   if (!msg)
      return fail(io.err, msg.error());
   const auto pub = public_arg<bls::public_key>("--pub", o.pub, io.in);
   if (!pub)
      return fail(io.err, pub.error());
   const auto sig = public_arg<bls::signature>("--sig", o.sig, io.in);
   if (!sig)
      return fail(io.err, sig.error());
   const bool valid = bls::verify(*pub, *msg, *sig);
   if (o.json) {
      io.out << (valid ? "{\"valid\":true}\n" : "{\"valid\":false}\n");
   } else if (valid) {
      io.out << "valid\n";
   } else {
      io.out << (pub->is_identity() ? "invalid: the public key is the identity\n"
                                    : "invalid: the signature does not verify\n");
   }
   return valid ? exit_ok : exit_failure;
}

/// aggregate's arguments, with "-" replaced by the whitespace-separated items on stdin.
core::result<std::vector<std::string>> aggregate_items(const std::vector<std::string>& args, std::istream& in) {
   std::vector<std::string> out;
   bool stdin_read = false;
   for (const auto& a : args) {
      if (a != "-") {
         out.push_back(a);
         continue;
      }
      if (stdin_read)
         throw usage_error("- may be given once");
      stdin_read = true;
      auto text = read_all(in, max_aggregate_text_bytes);
      if (!text)
         return core::unexpected{fmt::format("stdin: {}", text.error())};
      std::istringstream words(*text);
      std::size_t before = out.size();
      for (std::string w; words >> w;)
         out.push_back(w);
      if (out.size() == before)
         return core::unexpected{std::string("stdin: no signature or key given")};
   }
   return out;
}

template <class T, class Sum>
int aggregate_all(const std::vector<std::string>& items, bool json, const char* field, const streams& io) {
   Sum sum;
   for (std::size_t i = 0; i < items.size(); ++i) {
      auto v = T::from_string(items[i]);
      if (!v)
         return fail(io.err, fmt::format("argument {}: {}", i + 1, v.error()));
      sum.add(*v);
   }
   if constexpr (std::is_same_v<T, bls::signature>)
      print(io.out, json, {{field, sum.to_signature().to_string()}});
   else
      print(io.out, json, {{field, sum.to_public_key().to_string()}});
   return exit_ok;
}

int run_aggregate(const bls_options& o, const streams& io) {
   const auto items = aggregate_items(o.items, io.in);
   if (!items)
      return fail(io.err, items.error());
   if (!items->empty() && items->front().starts_with("PUB_BLS_"))
      return aggregate_all<bls::public_key, bls::aggregate_public_key>(*items, o.json, "public_key", io);
   return aggregate_all<bls::signature, bls::aggregate_signature>(*items, o.json, "signature", io);
}

} // namespace

command add_key_bls_command(CLI::App& key, const streams& io) {
   auto o = std::make_shared<bls_options>();
   auto* bls_cmd = key.add_subcommand("bls", "Spring's BLS finalizer keys: PVT_BLS_, PUB_BLS_, SIG_BLS_");
   bls_cmd->require_subcommand(1);

   auto* gen = bls_cmd->add_subcommand("new", "Generate a key, as spring-util bls create key --to-console");
   add_json_flag(*gen, o->json);

   auto* pub = bls_cmd->add_subcommand("public", "Public key of a private key");
   pub->add_option("key", o->key, "PVT_BLS_ private key, or - to read it from stdin")->required()->type_name("KEY|-");
   add_json_flag(*pub, o->json);

   auto* pop = bls_cmd->add_subcommand("pop", "Proof of possession of a private key");
   pop->add_option("key", o->key, "PVT_BLS_ private key, or - to read it from stdin")->required()->type_name("KEY|-");
   add_json_flag(*pop, o->json);

   auto* sign = bls_cmd->add_subcommand("sign", "Sign message bytes (Spring's signature ciphersuite)");
   sign->add_option("--key,-k", o->key, "PVT_BLS_ private key, or - to read it from stdin")->required()->type_name("KEY|-");
   sign->add_option("--message,-m", o->message, "The message, hex (a 32-byte digest for votes)")->required()->type_name("HEX");
   add_json_flag(*sign, o->json);

   auto* verify = bls_cmd->add_subcommand("verify", "Check a signature; exit 0 when valid, 1 when not");
   verify->add_option("--pub,-p", o->pub, "PUB_BLS_ public key, or - to read it from stdin")->required()->type_name("PUB|-");
   verify->add_option("--sig,-s", o->sig, "SIG_BLS_ signature, or - to read it from stdin")->required()->type_name("SIG|-");
   verify->add_option("--message,-m", o->message, "The message, hex")->required()->type_name("HEX");
   add_json_flag(*verify, o->json);

   auto* aggregate = bls_cmd->add_subcommand("aggregate", "Sum of signatures (or of public keys)");
   aggregate->add_option("items", o->items, "SIG_BLS_ signatures or PUB_BLS_ keys; - reads them from stdin")
      ->required()
      ->type_name("SIG|PUB|-");
   add_json_flag(*aggregate, o->json);

   const std::vector<std::pair<CLI::App*, int (*)(const bls_options&, const streams&)>> subs = {
      {gen, run_new}, {pub, run_public}, {pop, run_pop}, {sign, run_sign}, {verify, run_verify}, {aggregate, run_aggregate}};
   return {bls_cmd, [o, subs, &io] {
              for (const auto& [sub, fn] : subs)
                 if (sub->parsed())
                    return fn(*o, io);
              return exit_usage; // unreachable: require_subcommand(1)
           }};
}

} // namespace msgcraft

// msgcraft key: generate, convert, sign and recover with fc's key and signature string forms.
#include "commands.hpp"
#include "input.hpp"

#include "crypto/checksum.hpp"
#include "crypto/private_key.hpp"
#include "crypto/public_key.hpp"
#include "crypto/recover.hpp"
#include "crypto/signature.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <memory>
#include <ostream>
#include <utility>
#include <vector>

namespace msgcraft {

namespace {

struct key_options {
   bool json = false;
   std::string key;       ///< KEY positional or --key
   std::string sig;       ///< --sig
   std::string digest;    ///< --digest
};

/// Named string forms, printed as aligned "name: value" lines or one JSON object.
using field_list = std::vector<std::pair<std::string, std::string>>;

void print_fields(std::ostream& out, const field_list& fields, bool json) {
   if (json) {
      rapidjson::StringBuffer sb;
      rapidjson::Writer<rapidjson::StringBuffer> w(sb);
      w.StartObject();
      for (const auto& [k, v] : fields) {
         w.Key(k.c_str());
         w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
      }
      w.EndObject();
      out << sb.GetString() << '\n';
      return;
   }
   std::size_t width = 0;
   for (const auto& f : fields)
      width = std::max(width, f.first.size());
   for (const auto& [k, v] : fields)
      out << k << ':' << std::string(width - k.size() + 1, ' ') << v << '\n';
}

field_list public_fields(const core::public_key& k) {
   field_list f{{"public_key", k.to_string()}};
   if (k.type() == core::public_key::key_type::k1)
      f.emplace_back("public_key_k1", k.to_pub_string());
   return f;
}

field_list private_fields(const core::private_key& k) {
   field_list f{{"private_key", k.to_string()}};
   if (k.type() == core::private_key::key_type::k1)
      f.emplace_back("private_key_k1", k.to_pvt_string());
   auto pub = public_fields(k.get_public_key());
   f.insert(f.end(), pub.begin(), pub.end());
   return f;
}

/// A private key argument. Text that is not one but another key string form (a public key, a
/// signature) is named as what it is rather than as bad base58.
core::result<core::private_key> parse_private(const std::string& arg, std::istream& in) {
   auto text = read_key_argument(arg, in);
   if (!text)
      return core::unexpected{text.error()};
   auto k = core::private_key::from_string(*text);
   if (k)
      return k;
   if (core::public_key::from_string(*text))
      return core::unexpected{std::string("this is a public key; a private key (WIF, PVT_K1_ or PVT_R1_) is needed "
                                          "here (key convert prints a public key's forms)")};
   if (core::signature::from_string(*text))
      return core::unexpected{std::string("this is a signature; a private key (WIF, PVT_K1_ or PVT_R1_) is needed here")};
   return k;
}

core::result<core::checksum256> parse_digest(const std::string& hex) {
   auto d = core::checksum256::from_string(hex);
   if (!d)
      return core::unexpected{"--digest: " + d.error()};
   return d;
}

int run_new(const key_options& o, const streams& io) {
   auto k = core::private_key::generate(core::private_key::key_type::k1);
   if (o.json) {
      print_fields(io.out, private_fields(k), true);
   } else {
      io.out << "Private key: " << k.to_string() << '\n';
      io.out << "Public key: " << k.get_public_key().to_string() << '\n';
   }
   return exit_ok;
}

int run_public(const key_options& o, const streams& io) {
   auto k = parse_private(o.key, io.in);
   if (!k)
      return fail(io.err, k.error());
   auto pub = k->get_public_key();
   if (o.json)
      print_fields(io.out, public_fields(pub), true);
   else
      io.out << pub.to_string() << '\n';
   return exit_ok;
}

int run_convert(const key_options& o, const streams& io) {
   auto text = read_key_argument(o.key, io.in);
   if (!text)
      return fail(io.err, text.error());
   if (text->starts_with("EOS") || text->starts_with("PUB_")) {
      auto pub = core::public_key::from_string(*text);
      if (!pub)
         return fail(io.err, pub.error());
      print_fields(io.out, public_fields(*pub), o.json);
      return exit_ok;
   }
   auto k = core::private_key::from_string(*text);
   if (!k)
      return fail(io.err, k.error());
   print_fields(io.out, private_fields(*k), o.json);
   return exit_ok;
}

int run_sign(const key_options& o, const streams& io) {
   auto digest = parse_digest(o.digest);
   if (!digest)
      return fail(io.err, digest.error());
   auto k = parse_private(o.key, io.in);
   if (!k)
      return fail(io.err, k.error());
   const std::string sig = k->sign(*digest).to_string();
   if (o.json)
      print_fields(io.out, {{"signature", sig}}, true);
   else
      io.out << sig << '\n';
   return exit_ok;
}

int run_recover(const key_options& o, const streams& io) {
   auto digest = parse_digest(o.digest);
   if (!digest)
      return fail(io.err, digest.error());
   auto text = read_key_argument(o.sig, io.in);
   if (!text)
      return fail(io.err, text.error());
   auto sig = core::signature::from_string(*text);
   if (!sig)
      return fail(io.err, sig.error());
   auto pub = core::recover_key(*sig, *digest);
   if (!pub)
      return fail(io.err, "cannot recover: " + pub.error());
   if (o.json)
      print_fields(io.out, public_fields(*pub), true);
   else
      io.out << pub->to_string() << '\n';
   return exit_ok;
}

} // namespace

command add_key_command(CLI::App& app, const streams& io) {
   auto o = std::make_shared<key_options>();
   auto* key = app.add_subcommand("key", "Keys and signatures in fc's string forms (K1; R1 where noted)");
   key->require_subcommand(1);

   auto* gen = key->add_subcommand("new", "Generate a K1 key pair from OS randomness");
   add_json_flag(*gen, o->json);

   auto* pub = key->add_subcommand("public", "Public key of a private key (WIF, PVT_K1_ or PVT_R1_)");
   pub->add_option("key", o->key, "Private key, or - to read it from stdin")->required()->type_name("KEY|-");
   add_json_flag(*pub, o->json);

   auto* convert = key->add_subcommand("convert", "Every string form of a private or public key");
   convert->add_option("key", o->key, "Private or public key, or - to read it from stdin")
      ->required()
      ->type_name("KEY|-");
   add_json_flag(*convert, o->json);

   auto* sign = key->add_subcommand("sign", "Sign a 32-byte digest (K1 output is identical to fc's)");
   sign->add_option("--key,-k", o->key, "Private key, or - to read it from stdin")->required()->type_name("KEY|-");
   sign->add_option("--digest,-d", o->digest, "sha256 digest, 64 hex digits")->required()->type_name("HEX");
   add_json_flag(*sign, o->json);

   auto* recover = key->add_subcommand("recover", "Public key that made a signature over a digest");
   recover->add_option("--sig,-s", o->sig, "Signature (SIG_K1_ or SIG_R1_), or - to read it from stdin")
      ->required()
      ->type_name("SIG|-");
   recover->add_option("--digest,-d", o->digest, "sha256 digest, 64 hex digits")->required()->type_name("HEX");
   add_json_flag(*recover, o->json);

   const command bls = add_key_bls_command(*key, io);

   const std::vector<std::pair<CLI::App*, int (*)(const key_options&, const streams&)>> subs = {
      {gen, run_new}, {pub, run_public}, {convert, run_convert}, {sign, run_sign}, {recover, run_recover}};
   return {key, [o, subs, bls, &io] {
              if (bls.app->parsed())
                 return bls.run();
              for (const auto& [sub, fn] : subs)
                 if (sub->parsed())
                    return fn(*o, io);
              return exit_usage; // unreachable: require_subcommand(1)
           }};
}

} // namespace msgcraft

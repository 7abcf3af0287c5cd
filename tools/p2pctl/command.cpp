#include "command.hpp"

#include <fmt/format.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdlib>
#include <ostream>

namespace p2pctl {

std::string options::socket_path() const {
   if (!socket.empty())
      return socket;
   if (!data_dir.empty())
      return data_dir + (data_dir.back() == '/' ? "" : "/") + "p2pnode.sock";
   if (const char* env = std::getenv("P2PNODE_SOCKET"); env && *env)
      return env;
   return "./p2pnode.sock";
}

std::chrono::milliseconds options::timeout() const {
   return std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000.0 + 0.5));
}

int fail(std::ostream& err, std::string_view what, int code) { return core::cli::fail(err, "p2pctl", what, code); }

namespace {

std::optional<control_client> open_and_send(const context& ctx, const std::string& request_line, int& code) {
   const auto path = ctx.opt.socket_path();
   auto c = control_client::connect(path, ctx.opt.timeout());
   if (!c) {
      code = fail(ctx.io.err, "cannot reach p2pnode at " + path + ": " + c.error().message, exit_unreachable);
      return std::nullopt;
   }
   if (auto s = c->send_line(request_line, ctx.opt.timeout()); !s) {
      code = fail(ctx.io.err, "cannot reach p2pnode at " + path + ": " + s.error().message, exit_unreachable);
      return std::nullopt;
   }
   code = exit_ok;
   return std::move(*c);
}

int read_reply(const context& ctx, control_client& c, rapidjson::Document& reply) {
   const auto path = ctx.opt.socket_path();
   auto line = c.read_line(ctx.opt.timeout());
   if (!line) {
      const auto& e = line.error();
      const std::string why = e.what == client_error::kind::timeout
                                 ? "no reply within " + fmt::format("{}", ctx.opt.timeout_s) + " s"
                                 : e.message;
      return fail(ctx.io.err, "no reply from p2pnode at " + path + ": " + why, exit_unreachable);
   }
   reply.Parse(line->data(), line->size());
   if (reply.HasParseError())
      return fail(ctx.io.err,
                  "bad reply from p2pnode at " + path + ": not JSON (" +
                     rapidjson::GetParseError_En(reply.GetParseError()) + ")",
                  exit_unreachable);
   const auto* ok = member(reply, "ok");
   if (!ok || !ok->IsBool())
      return fail(ctx.io.err, "bad reply from p2pnode at " + path + ": not an object with a boolean \"ok\"",
                  exit_unreachable);
   return exit_ok;
}

int refused(const context& ctx, const rapidjson::Value& reply) {
   if (ctx.opt.json)
      ctx.io.out << compact(reply) << '\n';
   const auto* e = member(reply, "error");
   return fail(ctx.io.err, e && e->IsString() ? e->GetString() : "the node refused the request", exit_refused);
}

} // namespace

std::optional<control_client> request_accepted(const context& ctx, const std::string& request_line,
                                               rapidjson::Document& reply, int& code) {
   code = exit_ok;
   auto c = open_and_send(ctx, request_line, code);
   if (!c)
      return std::nullopt;
   if (code = read_reply(ctx, *c, reply); code != exit_ok)
      return std::nullopt;
   if (!reply["ok"].GetBool()) {
      code = refused(ctx, reply);
      return std::nullopt;
   }
   return c;
}

int round_trip(const context& ctx, const std::string& request_line, const printer& p) {
   rapidjson::Document reply;
   int code = exit_ok;
   if (!request_accepted(ctx, request_line, reply, code))
      return code;
   const auto* result = member(reply, "result");
   if (!result || !result->IsObject())
      return fail(ctx.io.err, "bad reply from p2pnode at " + ctx.opt.socket_path() + ": no \"result\" object",
                  exit_unreachable);
   if (!ctx.opt.json)
      p.text(*result, ctx.io.out);
   else if (p.json)
      p.json(*result, ctx.io.out);
   else
      ctx.io.out << compact(*result) << '\n';
   return exit_ok;
}

namespace {
template <class Writer>
void write_string(Writer& w, std::string_view s) {
   w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
} // namespace

std::string request(std::string_view cmd) {
   rapidjson::StringBuffer sb;
   rapidjson::Writer<rapidjson::StringBuffer> w(sb);
   w.StartObject();
   w.Key("cmd");
   write_string(w, cmd);
   w.EndObject();
   return sb.GetString();
}

std::string request(std::string_view cmd, std::string_view key, std::string_view value) {
   rapidjson::StringBuffer sb;
   rapidjson::Writer<rapidjson::StringBuffer> w(sb);
   w.StartObject();
   w.Key("cmd");
   write_string(w, cmd);
   write_string(w, key);
   write_string(w, value);
   w.EndObject();
   return sb.GetString();
}

std::string compact(const rapidjson::Value& v) {
   rapidjson::StringBuffer sb;
   rapidjson::Writer<rapidjson::StringBuffer> w(sb);
   v.Accept(w);
   return sb.GetString();
}

std::string pretty(const rapidjson::Value& v) {
   rapidjson::StringBuffer sb;
   rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
   w.SetIndent(' ', 2);
   v.Accept(w);
   return sb.GetString();
}

std::string cell(const rapidjson::Value& v) {
   if (v.IsString())
      return std::string(v.GetString(), v.GetStringLength());
   if (v.IsNull())
      return "-";
   if (v.IsArray()) {
      std::string s;
      for (const auto& e : v.GetArray()) {
         if (e.IsObject() || e.IsArray())
            return compact(v);
         s += (s.empty() ? "" : ", ") + cell(e);
      }
      return s;
   }
   return compact(v);
}

const rapidjson::Value* member(const rapidjson::Value& obj, const char* key) {
   if (!obj.IsObject())
      return nullptr;
   const auto it = obj.FindMember(key);
   return it == obj.MemberEnd() ? nullptr : &it->value;
}

void print_key_values(const rapidjson::Value& obj, std::ostream& out) {
   std::size_t width = 0;
   for (const auto& m : obj.GetObject())
      width = std::max<std::size_t>(width, m.name.GetStringLength());
   for (const auto& m : obj.GetObject()) {
      const std::string key(m.name.GetString(), m.name.GetStringLength());
      out << key << std::string(width - key.size(), ' ') << ": " << cell(m.value) << '\n';
   }
}

void print_aligned(const std::vector<std::vector<std::string>>& rows, std::ostream& out, const std::vector<bool>& right) {
   std::vector<std::size_t> width;
   for (const auto& r : rows) {
      width.resize(std::max(width.size(), r.size()));
      for (std::size_t i = 0; i < r.size(); ++i)
         width[i] = std::max(width[i], r[i].size());
   }
   for (const auto& r : rows) {
      std::string line;
      for (std::size_t i = 0; i < r.size(); ++i) {
         const std::string pad(width[i] - r[i].size(), ' ');
         if (i)
            line += "  ";
         line += i < right.size() && right[i] ? pad + r[i] : (i + 1 < r.size() ? r[i] + pad : r[i]);
      }
      out << line << '\n';
   }
}

void print_json_lines(const rapidjson::Value& result, const char* key, std::ostream& out) {
   if (const auto* list = member(result, key); list && list->IsArray())
      for (const auto& v : list->GetArray())
         out << compact(v) << '\n';
}

} // namespace p2pctl

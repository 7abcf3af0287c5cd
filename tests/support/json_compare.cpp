#include "support/json_compare.hpp"

#include "support/golden.hpp"

namespace test {

bool json_subset(const rapidjson::Value& e, const rapidjson::Value& a, std::string& where, const std::string& path) {
   auto mismatch = [&] {
      where = path + ": expected " + to_json_string(e) + ", got " + to_json_string(a);
      return false;
   };
   if (e.IsObject()) {
      if (!a.IsObject())
         return mismatch();
      for (auto it = e.MemberBegin(); it != e.MemberEnd(); ++it) {
         std::string key = it->name.GetString();
         auto f = a.FindMember(it->name);
         if (f == a.MemberEnd()) {
            where = path + "." + key + ": missing";
            return false;
         }
         if (!json_subset(it->value, f->value, where, path + "." + key))
            return false;
      }
      return true;
   }
   if (e.IsArray()) {
      if (!a.IsArray() || a.Size() != e.Size())
         return mismatch();
      for (rapidjson::SizeType i = 0; i < e.Size(); ++i)
         if (!json_subset(e[i], a[i], where, path + "[" + std::to_string(i) + "]"))
            return false;
      return true;
   }
   if (e == a)
      return true;
   return mismatch();
}

} // namespace test

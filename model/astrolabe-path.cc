/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-path.h"

#include <cctype>

namespace ns3
{
namespace astrolabe
{
std::vector<std::string>
SplitPath(const std::string& path)
{
    std::vector<std::string> parts;
    std::string cur;
    for (char c : path)
    {
        if (c == '/')
        {
            if (!cur.empty())
            {
                parts.push_back(cur);
            }
            cur.clear();
        }
        else
        {
            cur += c;
        }
    }
    if (!cur.empty())
    {
        parts.push_back(cur);
    }
    return parts;
}

size_t
PathDepth(const std::string& path)
{
    size_t n = 0;
    for (size_t i = 0; i < path.size(); ++i)
    {
        n += path[i] != '/' && (i == 0 || path[i - 1] == '/');
    }
    return n;
}

bool
PathPrefixIs(const std::string& path, size_t depth, const std::string& text)
{
    if (depth == 0)
    {
        return text == "/";
    }
    // walk the first `depth` non-empty components, matching "/" + component against text
    size_t pos = 0;
    size_t i = 0;
    for (size_t part = 0; part < depth; ++part)
    {
        while (i < path.size() && path[i] == '/')
        {
            ++i;
        }
        if (i == path.size() || pos == text.size() || text[pos] != '/')
        {
            return false;
        }
        ++pos;
        while (i < path.size() && path[i] != '/')
        {
            if (pos == text.size() || text[pos] != path[i])
            {
                return false;
            }
            ++pos;
            ++i;
        }
    }
    return pos == text.size();
}

std::string
PathPrefix(const std::vector<std::string>& parts, uint32_t depth)
{
    if (depth == 0)
    {
        return "/";
    }
    std::string p;
    for (uint32_t i = 0; i < depth && i < parts.size(); ++i)
    {
        p += "/" + parts[i];
    }
    return p;
}

std::string
ShortName(const std::string& path)
{
    auto parts = SplitPath(path);
    return parts.empty() ? "/" : parts.back();
}

std::string
ValidatePath(const std::string& path)
{
    if (path.empty() || path[0] != '/')
    {
        return "zone path '" + path + "' must start with '/'";
    }
    if (path.size() > 1 && path.back() == '/')
    {
        return "zone path '" + path + "' must not end with '/'";
    }
    for (size_t i = 0; i < path.size(); ++i)
    {
        char c = path[i];
        if (c == '/' && i + 1 < path.size() && path[i + 1] == '/')
        {
            return "zone path '" + path + "' has an empty component";
        }
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
              c == '.'))
        {
            return "zone path '" + path + "' has character '" + std::string(1, c) +
                   "'; allowed: letters, digits, _ . -";
        }
    }
    if (SplitPath(path).empty())
    {
        return "zone path '" + path + "' names the root, not a host";
    }
    return "";
}
} // namespace astrolabe
} // namespace ns3

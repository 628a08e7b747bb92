/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_PATH_H
#define ASTROLABE_PATH_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace astrolabe
{

// Zone paths name a host and its ancestor zones: "/dc0/rack07/host12" lies in "/dc0/rack07",
// "/dc0" and the root "/".

/// Split "/a/b/c" into {"a","b","c"}; "/" gives {}.
std::vector<std::string> SplitPath(const std::string& path);
/// SplitPath(path).size(), without allocating.
size_t PathDepth(const std::string& path);
/// PathPrefix(SplitPath(path), depth) == text, without allocating (path has >= depth parts).
bool PathPrefixIs(const std::string& path, size_t depth, const std::string& text);
/// The first `depth` components as a path ("/" for depth 0).
std::string PathPrefix(const std::vector<std::string>& parts, uint32_t depth);
/// Last component ("host12"), or "/" for the root.
std::string ShortName(const std::string& path);
/// \return empty if valid, else why: must start with '/', no empty component, [A-Za-z0-9_.-].
std::string ValidatePath(const std::string& path);

} // namespace astrolabe
} // namespace ns3

#endif /* ASTROLABE_PATH_H */

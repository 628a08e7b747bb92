-- Wireshark/tshark dissector for the wire formats of the ns-3 gossip module:
-- pbcast (Bimodal Multicast), its reliable-multicast baseline, lpbcast, Astrolabe, and the
-- aggregation baselines (flooding tree, push-sum, naive averaging, top-c).
--
--   tshark -X lua_script:utils/wireshark/gossip.lua -r capture.pcap -V
--   wireshark -X lua_script:utils/wireshark/gossip.lua capture.pcap
--
-- Each protocol is found by its default UDP port (the Port attribute of its Application; change
-- them under Edit > Preferences > Protocols if you changed the attribute). The layouts follow
-- the Encode functions of model/*-header.cc; test/wireshark-test.sh checks them against pcaps
-- the examples write, and test/gossip-wire-gtest.cc pins the bytes.

local M = {}

----------------------------------------------------------------------------------------------
-- readers: a cursor over a TvbRange that never reads past the end

local Cursor = {}
Cursor.__index = Cursor

local function cursor(tvb, tree, pinfo)
    return setmetatable({ tvb = tvb, off = 0, tree = tree, pinfo = pinfo, bad = false }, Cursor)
end

function Cursor:left()
    return self.tvb:len() - self.off
end

-- mark the rest as malformed once
function Cursor:fail(tree, what)
    if not self.bad then
        self.bad = true
        local t = tree or self.tree
        t:add_expert_info(PI_MALFORMED, PI_ERROR, what)
    end
end

function Cursor:take(n, tree, what)
    if self.bad then
        return nil
    end
    if n > self:left() then
        self:fail(tree, (what or "field") .. ": truncated")
        return nil
    end
    local r = self.tvb(self.off, n)
    self.off = self.off + n
    return r
end

-- LEB128 varint: returns (range, UInt64) or nil
function Cursor:varint(tree, what)
    if self.bad then
        return nil
    end
    local start = self.off
    local v = UInt64(0)
    local shift = 0
    while true do
        if self:left() < 1 then
            self:fail(tree, (what or "varint") .. ": truncated")
            return nil
        end
        local b = self.tvb(self.off, 1):uint()
        self.off = self.off + 1
        v = v:bor(UInt64(bit32.band(b, 0x7f)):lshift(shift))
        if bit32.band(b, 0x80) == 0 then
            break
        end
        shift = shift + 7
        if shift > 63 then
            self:fail(tree, (what or "varint") .. ": longer than 10 bytes")
            return nil
        end
    end
    return self.tvb(start, self.off - start), v
end

-- a zero-length range at the cursor, for a subtree whose length is set when it is complete
function Cursor:here()
    if self.off < self.tvb:len() then
        return self.tvb(self.off, 0)
    end
    return self.tvb(self.tvb:len() - 1, 1)
end

-- the bytes read since start
function Cursor:since(start)
    return self.tvb(start, self.off - start)
end

----------------------------------------------------------------------------------------------
-- protocol objects

local p_pbcast = Proto("gossip_pbcast", "ns-3 gossip: Bimodal Multicast (pbcast)")
local p_rmcast = Proto("gossip_rmcast", "ns-3 gossip: reliable multicast baseline")
local p_lpbcast = Proto("gossip_lpbcast", "ns-3 gossip: lpbcast")
local p_astrolabe = Proto("gossip_astrolabe", "ns-3 gossip: Astrolabe")
local p_aggregation = Proto("gossip_aggregation", "ns-3 gossip: aggregation baselines")

----------------------------------------------------------------------------------------------
-- digest (pbcast, lpbcast): per sender, a floor and intervals delta-coded from it

local f_dg = {
    senders = ProtoField.uint64("gossip.digest.senders", "Senders"),
    sender = ProtoField.uint64("gossip.digest.sender", "Sender"),
    floor = ProtoField.uint64("gossip.digest.floor", "Floor"),
    intervals = ProtoField.uint64("gossip.digest.intervals", "Intervals"),
    range = ProtoField.string("gossip.digest.range", "Sequence numbers"),
}

local function digest(c, tree, label)
    local start = c.off
    local t = tree:add(c:here(), label or "Digest")
    local r, n = c:varint(t, "digest senders")
    if not r then
        return
    end
    t:add(f_dg.senders, r, n)
    local summary = {}
    for _ = 1, n:tonumber() do
        local rs, sender = c:varint(t, "digest sender")
        local rf, floor = c:varint(t, "digest floor")
        local ri, ni = c:varint(t, "digest intervals")
        if not ri then
            return
        end
        local st = t:add(f_dg.sender, rs, sender)
        st:add(f_dg.floor, rf, floor)
        st:add(f_dg.intervals, ri, ni)
        local cursorv = floor
        local parts = {}
        for _ = 1, ni:tonumber() do
            local ivstart = c.off
            local rg, gap = c:varint(st, "interval gap")
            local rl, len = c:varint(st, "interval length")
            if not rl then
                return
            end
            local lo = cursorv + gap
            local hi = lo + len
            local text = (len == UInt64(0)) and tostring(lo) or (tostring(lo) .. "-" .. tostring(hi))
            st:add(f_dg.range, c:since(ivstart), text)
            parts[#parts + 1] = text
            cursorv = hi + 1
        end
        local s = table.concat(parts, ", ") .. " from " .. tostring(sender)
        st:append_text(": " .. s)
        summary[#summary + 1] = s
    end
    t:set_len(c.off - start)
    t:append_text(": " .. (#summary > 0 and table.concat(summary, "; ") or "empty"))
end

----------------------------------------------------------------------------------------------
-- pbcast (model/pbcast-header.cc)

local PB_TYPES = { [1] = "DATA", [2] = "RETRANS", [3] = "GOSSIP", [4] = "SOLICIT", [5] = "JOIN" }
local f_pb = {
    version = ProtoField.uint8("gossip.pbcast.version", "Version"),
    type = ProtoField.uint8("gossip.pbcast.type", "Type", base.DEC, PB_TYPES),
    flags = ProtoField.uint8("gossip.pbcast.flags", "Flags", base.HEX),
    f_mcast = ProtoField.bool("gossip.pbcast.flags.multicast", "Sent by IP multicast", 8, nil, 0x01),
    f_reply = ProtoField.bool("gossip.pbcast.flags.reply", "JOIN reply", 8, nil, 0x02),
    f_relay = ProtoField.bool("gossip.pbcast.flags.relay", "Relay: re-multicast remotely", 8, nil, 0x04),
    f_timed = ProtoField.bool("gossip.pbcast.flags.timed", "Round field is a send time", 8, nil, 0x08),
    origin = ProtoField.uint64("gossip.pbcast.origin", "Origin"),
    seq = ProtoField.uint64("gossip.pbcast.seq", "Sequence number"),
    sent = ProtoField.uint64("gossip.pbcast.sent_ns", "Sent (ns)"),
    source = ProtoField.uint64("gossip.pbcast.source", "Source"),
    round = ProtoField.uint64("gossip.pbcast.round", "Round"),
    datacenter = ProtoField.uint64("gossip.pbcast.datacenter", "Datacenter"),
    members = ProtoField.uint64("gossip.pbcast.members", "Members"),
    member = ProtoField.uint64("gossip.pbcast.member", "Member"),
    maddr = ProtoField.ipv4("gossip.pbcast.member.address", "Address"),
    mdc = ProtoField.uint64("gossip.pbcast.member.datacenter", "Datacenter"),
    mhb = ProtoField.uint64("gossip.pbcast.member.heartbeat", "Heartbeat"),
    payload = ProtoField.bytes("gossip.pbcast.payload", "Payload"),
}
local pb_fields = {}
for _, f in pairs(f_pb) do
    pb_fields[#pb_fields + 1] = f
end
for _, f in pairs(f_dg) do
    pb_fields[#pb_fields + 1] = f
end
p_pbcast.fields = pb_fields

local function pbcast_members(c, tree)
    local r, n = c:varint(tree, "members")
    if not r then
        return
    end
    local mt = tree:add(f_pb.members, r, n)
    for _ = 1, n:tonumber() do
        local start = c.off
        local ri, id = c:varint(mt, "member id")
        local ra = c:take(4, mt, "member address")
        local rd, dc = c:varint(mt, "member datacenter")
        local rh, hb = c:varint(mt, "member heartbeat")
        if not rh then
            return
        end
        local e = mt:add(f_pb.member, ri, id)
        e:add(f_pb.maddr, ra)
        e:add(f_pb.mdc, rd, dc)
        e:add(f_pb.mhb, rh, hb)
        e:append_text(" at " .. tostring(ra:ipv4()) .. ", dc " .. tostring(dc) .. ", heartbeat " .. tostring(hb))
    end
end

function p_pbcast.dissector(tvb, pinfo, tree)
    pinfo.cols.protocol = "PBCAST"
    local t = tree:add(p_pbcast, tvb())
    local c = cursor(tvb, t, pinfo)
    local rv = c:take(1, t, "version")
    local rt = c:take(1, t, "type")
    local rf = c:take(1, t, "flags")
    if not rf then
        return
    end
    t:add(f_pb.version, rv)
    t:add(f_pb.type, rt)
    local ft = t:add(f_pb.flags, rf)
    ft:add(f_pb.f_mcast, rf)
    ft:add(f_pb.f_reply, rf)
    ft:add(f_pb.f_relay, rf)
    ft:add(f_pb.f_timed, rf)
    local ty = rt:uint()
    local name = PB_TYPES[ty] or ("type " .. ty)
    t:append_text(", " .. name)
    if ty == 1 or ty == 2 then
        local ro, origin = c:varint(t, "origin")
        local rs, seq = c:varint(t, "seq")
        local rn, sent = c:varint(t, "send time")
        if not rn then
            return
        end
        t:add(f_pb.origin, ro, origin)
        t:add(f_pb.seq, rs, seq)
        t:add(f_pb.sent, rn, sent)
        if c:left() > 0 then
            t:add(f_pb.payload, tvb(c.off, c:left()))
        end
        pinfo.cols.info = string.format("%s %s:%s", name, tostring(origin), tostring(seq))
    elseif ty == 3 or ty == 4 then
        local rs, source = c:varint(t, "source")
        local rr, round = c:varint(t, "round")
        local rd, dc = c:varint(t, "datacenter")
        if not rd then
            return
        end
        t:add(f_pb.source, rs, source)
        t:add(f_pb.round, rr, round)
        t:add(f_pb.datacenter, rd, dc)
        digest(c, t)
        if ty == 3 then
            pbcast_members(c, t)
        end
        pinfo.cols.info = string.format("%s from %s round %s", name, tostring(source), tostring(round))
    elseif ty == 5 then
        local rs, source = c:varint(t, "source")
        local rd, dc = c:varint(t, "datacenter")
        if not rd then
            return
        end
        t:add(f_pb.source, rs, source)
        t:add(f_pb.datacenter, rd, dc)
        pbcast_members(c, t)
        pinfo.cols.info = string.format("JOIN from %s", tostring(source))
    else
        t:add_expert_info(PI_MALFORMED, PI_ERROR, "unknown pbcast type " .. ty)
    end
end

----------------------------------------------------------------------------------------------
-- reliable-multicast baseline (model/pbcast-rmcast-baseline.cc): fixed 26 bytes

local RM_TYPES = { [1] = "DATA", [2] = "ACK", [3] = "NACK" }
local f_rm = {
    version = ProtoField.uint8("gossip.rmcast.version", "Version"),
    type = ProtoField.uint8("gossip.rmcast.type", "Type", base.DEC, RM_TYPES),
    seq = ProtoField.uint64("gossip.rmcast.seq", "Sequence number"),
    value = ProtoField.uint64("gossip.rmcast.value", "Value (NACK: end of the gap)"),
    sent = ProtoField.int64("gossip.rmcast.sent_ns", "Sent (ns)"),
    payload = ProtoField.bytes("gossip.rmcast.payload", "Payload"),
}
p_rmcast.fields = { f_rm.version, f_rm.type, f_rm.seq, f_rm.value, f_rm.sent, f_rm.payload }

function p_rmcast.dissector(tvb, pinfo, tree)
    pinfo.cols.protocol = "RMCAST"
    local t = tree:add(p_rmcast, tvb())
    local c = cursor(tvb, t, pinfo)
    local rv = c:take(1, t, "version")
    local rt = c:take(1, t, "type")
    local rs = c:take(8, t, "seq")
    local rval = c:take(8, t, "value")
    local rsent = c:take(8, t, "send time")
    if not rsent then
        return
    end
    t:add(f_rm.version, rv)
    t:add(f_rm.type, rt)
    t:add(f_rm.seq, rs)
    t:add(f_rm.value, rval)
    t:add(f_rm.sent, rsent)
    if c:left() > 0 then
        t:add(f_rm.payload, tvb(c.off, c:left()))
    end
    pinfo.cols.info = string.format("%s seq %s", RM_TYPES[rt:uint()] or "?", tostring(rs:uint64()))
end

----------------------------------------------------------------------------------------------
-- lpbcast (model/lpbcast-header.cc)

local LP_TYPES = { [1] = "GOSSIP", [2] = "RETRIEVE_REQUEST", [3] = "RETRIEVE_REPLY", [4] = "PROBE", [5] = "PROBE_REPLY" }
local f_lp = {
    version = ProtoField.uint8("gossip.lpbcast.version", "Version"),
    type = ProtoField.uint8("gossip.lpbcast.type", "Type", base.DEC, LP_TYPES),
    events = ProtoField.uint16("gossip.lpbcast.events", "Events"),
    event = ProtoField.string("gossip.lpbcast.event", "Event"),
    origin = ProtoField.ipv4("gossip.lpbcast.origin", "Origin"),
    seq = ProtoField.uint32("gossip.lpbcast.seq", "Sequence number"),
    age = ProtoField.uint16("gossip.lpbcast.age", "Age (rounds)"),
    plen = ProtoField.uint16("gossip.lpbcast.payload_length", "Payload length"),
    payload = ProtoField.bytes("gossip.lpbcast.payload", "Payload"),
    dlen = ProtoField.uint16("gossip.lpbcast.digest_length", "eventIds digest length"),
    subs = ProtoField.uint16("gossip.lpbcast.subs", "subs"),
    sub = ProtoField.ipv4("gossip.lpbcast.sub", "Subscriber"),
    unsubs = ProtoField.uint16("gossip.lpbcast.unsubs", "unSubs"),
    unsub = ProtoField.ipv4("gossip.lpbcast.unsub", "Unsubscriber"),
    unsubt = ProtoField.int64("gossip.lpbcast.unsub_ns", "Unsubscribed at (ns)"),
    wanted = ProtoField.uint16("gossip.lpbcast.wanted", "Wanted events"),
    nonce = ProtoField.uint32("gossip.lpbcast.nonce", "Nonce"),
    sent = ProtoField.int64("gossip.lpbcast.sent_ns", "Sent (ns)"),
}
local lp_fields = {}
for _, f in pairs(f_lp) do
    lp_fields[#lp_fields + 1] = f
end
p_lpbcast.fields = lp_fields

local function lpbcast_events(c, t)
    local rn = c:take(2, t, "event count")
    if not rn then
        return 0
    end
    local n = rn:uint()
    local et = t:add(f_lp.events, rn)
    for _ = 1, n do
        local start = c.off
        local ro = c:take(4, et, "event origin")
        local rs = c:take(4, et, "event seq")
        local ra = c:take(2, et, "event age")
        local rl = c:take(2, et, "payload length")
        if not rl then
            return n
        end
        local rp = rl:uint() > 0 and c:take(rl:uint(), et, "payload") or nil
        if c.bad then
            return n
        end
        local e = et:add(f_lp.event, c:since(start),
            tostring(ro:ipv4()) .. ":" .. rs:uint() .. " age " .. ra:uint())
        e:add(f_lp.origin, ro)
        e:add(f_lp.seq, rs)
        e:add(f_lp.age, ra)
        e:add(f_lp.plen, rl)
        if rp then
            e:add(f_lp.payload, rp)
        end
    end
    return n
end

function p_lpbcast.dissector(tvb, pinfo, tree)
    pinfo.cols.protocol = "LPBCAST"
    local t = tree:add(p_lpbcast, tvb())
    local c = cursor(tvb, t, pinfo)
    local rv = c:take(1, t, "version")
    local rt = c:take(1, t, "type")
    if not rt then
        return
    end
    t:add(f_lp.version, rv)
    t:add(f_lp.type, rt)
    local ty = rt:uint()
    local name = LP_TYPES[ty] or ("type " .. ty)
    t:append_text(", " .. name)
    pinfo.cols.info = name
    if ty == 1 then
        local n = lpbcast_events(c, t)
        local rd = c:take(2, t, "digest length")
        if not rd then
            return
        end
        t:add(f_lp.dlen, rd)
        local dend = c.off + rd:uint()
        digest(c, t, "eventIds")
        if not c.bad and c.off ~= dend then
            c:fail(t, "digest length does not match its content")
            return
        end
        local rs = c:take(2, t, "subs count")
        if not rs then
            return
        end
        local st = t:add(f_lp.subs, rs)
        for _ = 1, rs:uint() do
            local ra = c:take(4, st, "subscriber")
            if not ra then
                return
            end
            st:add(f_lp.sub, ra)
        end
        local ru = c:take(2, t, "unSubs count")
        if not ru then
            return
        end
        local ut = t:add(f_lp.unsubs, ru)
        for _ = 1, ru:uint() do
            local ra = c:take(4, ut, "unsubscriber")
            local rtime = c:take(8, ut, "unsubscription time")
            if not rtime then
                return
            end
            local u = ut:add(f_lp.unsub, ra)
            u:add(f_lp.unsubt, rtime)
        end
        pinfo.cols.info = string.format("GOSSIP %d events, %d subs, %d unSubs", n, rs:uint(), ru:uint())
    elseif ty == 2 then
        local rn = c:take(2, t, "wanted count")
        if not rn then
            return
        end
        local wt = t:add(f_lp.wanted, rn)
        for _ = 1, rn:uint() do
            local start = c.off
            local ro = c:take(4, wt, "origin")
            local rs = c:take(4, wt, "seq")
            if not rs then
                return
            end
            local e = wt:add(f_lp.event, c:since(start), tostring(ro:ipv4()) .. ":" .. rs:uint())
            e:add(f_lp.origin, ro)
            e:add(f_lp.seq, rs)
        end
    elseif ty == 3 then
        lpbcast_events(c, t)
    elseif ty == 4 or ty == 5 then
        local rn = c:take(4, t, "nonce")
        local rs = c:take(8, t, "send time")
        if not rs then
            return
        end
        t:add(f_lp.nonce, rn)
        t:add(f_lp.sent, rs)
    else
        t:add_expert_info(PI_MALFORMED, PI_ERROR, "unknown lpbcast type " .. ty)
    end
end

----------------------------------------------------------------------------------------------
-- Astrolabe (model/astrolabe-header.cc): strings behind a U8 or U16 length

local AS_TYPES = { [1] = "GOSSIP", [2] = "REPLY", [3] = "ROWS" }
local AS_VALUES = { [0] = "NULL", [1] = "INT", [2] = "DOUBLE", [3] = "STRING", [4] = "BOOL", [5] = "ADDRESSES" }
local f_as = {
    version = ProtoField.uint8("gossip.astrolabe.version", "Version"),
    type = ProtoField.uint8("gossip.astrolabe.type", "Type", base.DEC, AS_TYPES),
    sender = ProtoField.string("gossip.astrolabe.sender", "Sender"),
    digests = ProtoField.uint16("gossip.astrolabe.digests", "Digest tables"),
    zone = ProtoField.string("gossip.astrolabe.zone", "Zone"),
    entry = ProtoField.string("gossip.astrolabe.entry", "Entry"),
    id = ProtoField.string("gossip.astrolabe.id", "Row id"),
    rep = ProtoField.string("gossip.astrolabe.rep", "Representative"),
    issued = ProtoField.int64("gossip.astrolabe.issued", "Issued"),
    rowblocks = ProtoField.uint16("gossip.astrolabe.row_blocks", "Row blocks"),
    row = ProtoField.string("gossip.astrolabe.row", "Row"),
    attr = ProtoField.string("gossip.astrolabe.attribute", "Attribute"),
    vtype = ProtoField.uint8("gossip.astrolabe.value_type", "Value type", base.DEC, AS_VALUES),
    vint = ProtoField.int64("gossip.astrolabe.int", "Integer"),
    vdouble = ProtoField.double("gossip.astrolabe.double", "Double"),
    vstring = ProtoField.string("gossip.astrolabe.string", "String"),
    vbool = ProtoField.bool("gossip.astrolabe.bool", "Bool"),
    vaddr = ProtoField.ipv4("gossip.astrolabe.address", "Address"),
    requests = ProtoField.uint16("gossip.astrolabe.requests", "Row requests"),
    afcdigests = ProtoField.uint8("gossip.astrolabe.afc_digests", "AFC digests"),
    afcs = ProtoField.uint8("gossip.astrolabe.afcs", "AFCs"),
    afcname = ProtoField.string("gossip.astrolabe.afc.name", "AFC"),
    afctext = ProtoField.string("gossip.astrolabe.afc.sql", "SQL"),
    afcexpires = ProtoField.int64("gossip.astrolabe.afc.expires", "Expires"),
    afcmax = ProtoField.uint32("gossip.astrolabe.afc.max_output", "Max output bytes"),
    afcissuer = ProtoField.string("gossip.astrolabe.afc.issuer", "Issuer"),
    afcrequests = ProtoField.uint8("gossip.astrolabe.afc_requests", "AFC requests"),
}
local as_fields = {}
for _, f in pairs(f_as) do
    as_fields[#as_fields + 1] = f
end
p_astrolabe.fields = as_fields

local function str(c, t, lenbytes, field, what)
    local rl = c:take(lenbytes, t, what .. " length")
    if not rl then
        return nil
    end
    local n = rl:uint()
    local start = c.off - lenbytes
    local rs = n > 0 and c:take(n, t, what) or nil
    if c.bad then
        return nil
    end
    local text = rs and rs:string() or ""
    if field then
        t:add(field, c.tvb(start, lenbytes + n), text)
    end
    return text
end

local function value(c, t, name)
    local rt = c:take(1, t, "value type")
    if not rt then
        return
    end
    local ty = rt:uint()
    local start = c.off - 1
    local shown
    local vt = t:add(f_as.attr, rt, name)
    vt:add(f_as.vtype, rt)
    if ty == 0 then
        shown = "NULL"
    elseif ty == 1 then
        local r = c:take(8, vt, "int")
        if not r then return end
        vt:add(f_as.vint, r)
        shown = tostring(r:int64())
    elseif ty == 2 then
        local r = c:take(8, vt, "double")
        if not r then return end
        vt:add(f_as.vdouble, r)
        shown = tostring(r:float())
    elseif ty == 3 then
        local s = str(c, vt, 2, f_as.vstring, "string")
        if not s then return end
        shown = "'" .. s .. "'"
    elseif ty == 4 then
        local r = c:take(1, vt, "bool")
        if not r then return end
        vt:add(f_as.vbool, r)
        shown = r:uint() ~= 0 and "true" or "false"
    elseif ty == 5 then
        local rn = c:take(1, vt, "address count")
        if not rn then return end
        local parts = {}
        for _ = 1, rn:uint() do
            local ra = c:take(4, vt, "address")
            if not ra then return end
            vt:add(f_as.vaddr, ra)
            parts[#parts + 1] = tostring(ra:ipv4())
        end
        shown = "{" .. table.concat(parts, ",") .. "}"
    else
        c:fail(vt, "unknown value type " .. ty)
        return
    end
    vt:set_len(c.off - start)
    vt:set_text(name .. " = " .. shown)
    return name .. "=" .. shown
end

local function row(c, t)
    local start = c.off
    local rt = t:add(f_as.row, c:here(), "")
    local id = str(c, rt, 2, f_as.id, "row id")
    local rep = str(c, rt, 2, f_as.rep, "representative")
    local ri = c:take(8, rt, "issued")
    local rn = c:take(1, rt, "attribute count")
    if not rn then
        return
    end
    rt:add(f_as.issued, ri)
    local parts = {}
    for _ = 1, rn:uint() do
        local name = str(c, rt, 1, nil, "attribute name")
        if not name then
            return
        end
        local v = value(c, rt, name)
        if not v then
            return
        end
        parts[#parts + 1] = v
    end
    rt:set_len(c.off - start)
    rt:set_text("Row " .. id .. " (rep " .. rep .. ", issued " .. tostring(ri:int64()) .. "): " .. table.concat(parts, ", "))
end

function p_astrolabe.dissector(tvb, pinfo, tree)
    pinfo.cols.protocol = "ASTROLABE"
    local t = tree:add(p_astrolabe, tvb())
    local c = cursor(tvb, t, pinfo)
    local rv = c:take(1, t, "version")
    local rt = c:take(1, t, "type")
    if not rt then
        return
    end
    t:add(f_as.version, rv)
    t:add(f_as.type, rt)
    local name = AS_TYPES[rt:uint()] or ("type " .. rt:uint())
    t:append_text(", " .. name)
    local sender = str(c, t, 2, f_as.sender, "sender")
    if not sender then
        return
    end
    pinfo.cols.info = name .. " from " .. sender
    -- digests
    local rn = c:take(2, t, "digest table count")
    if not rn then return end
    local dt = t:add(f_as.digests, rn)
    for _ = 1, rn:uint() do
        local ts = c.off
        local tt = dt:add(f_as.zone, c:here(), "")
        local zone = str(c, tt, 2, nil, "zone")
        local re = c:take(2, tt, "entry count")
        if not re then return end
        for _ = 1, re:uint() do
            local es = c.off
            local et = tt:add(f_as.entry, c:here(), "")
            local id = str(c, et, 2, f_as.id, "row id")
            local rep = str(c, et, 2, f_as.rep, "representative")
            local ri = c:take(8, et, "issued")
            if not ri then return end
            et:add(f_as.issued, ri)
            et:set_len(c.off - es)
            et:set_text("Entry " .. id .. " rep " .. rep .. " issued " .. tostring(ri:int64()))
        end
        tt:set_len(c.off - ts)
        tt:set_text("Digest of zone " .. zone .. ": " .. re:uint() .. " entries")
    end
    -- rows
    rn = c:take(2, t, "row block count")
    if not rn then return end
    local bt = t:add(f_as.rowblocks, rn)
    for _ = 1, rn:uint() do
        local bs = c.off
        local tt = bt:add(f_as.zone, c:here(), "")
        local zone = str(c, tt, 2, nil, "zone")
        local rr = c:take(2, tt, "row count")
        if not rr then return end
        for _ = 1, rr:uint() do
            row(c, tt)
            if c.bad then return end
        end
        tt:set_len(c.off - bs)
        tt:set_text("Rows of zone " .. zone .. ": " .. rr:uint())
    end
    -- requests
    rn = c:take(2, t, "request count")
    if not rn then return end
    local qt = t:add(f_as.requests, rn)
    for _ = 1, rn:uint() do
        local qs = c.off
        local q = qt:add(f_as.entry, c:here(), "")
        local zone = str(c, q, 2, f_as.zone, "zone")
        local id = str(c, q, 2, f_as.id, "row id")
        local rep = str(c, q, 2, f_as.rep, "representative")
        if not rep then return end
        q:set_len(c.off - qs)
        q:set_text("Request " .. zone .. ": " .. id .. " rep " .. rep)
    end
    -- AFC digests
    rn = c:take(1, t, "AFC digest count")
    if not rn then return end
    local at = t:add(f_as.afcdigests, rn)
    for _ = 1, rn:uint() do
        local as = c.off
        local a = at:add(f_as.afcname, c:here(), "")
        local nm = str(c, a, 1, nil, "AFC name")
        local ri = c:take(8, a, "issued")
        if not ri then return end
        a:add(f_as.issued, ri)
        local issuer = str(c, a, 2, f_as.afcissuer, "issuer")
        if not issuer then return end
        a:set_len(c.off - as)
        a:set_text("AFC digest " .. nm .. " issued " .. tostring(ri:int64()) .. " by " .. issuer)
    end
    -- AFCs
    rn = c:take(1, t, "AFC count")
    if not rn then return end
    local ft = t:add(f_as.afcs, rn)
    for _ = 1, rn:uint() do
        local as = c.off
        local a = ft:add(f_as.afcname, c:here(), "")
        local nm = str(c, a, 1, nil, "AFC name")
        local sql = str(c, a, 2, f_as.afctext, "AFC text")
        local ri = c:take(8, a, "issued")
        local rx = c:take(8, a, "expires")
        local rm = c:take(4, a, "max output")
        if not rm then return end
        a:add(f_as.issued, ri)
        a:add(f_as.afcexpires, rx)
        a:add(f_as.afcmax, rm)
        local issuer = str(c, a, 2, f_as.afcissuer, "issuer")
        if not issuer then return end
        a:set_len(c.off - as)
        a:set_text("AFC " .. nm .. ": " .. sql)
    end
    -- AFC requests
    rn = c:take(1, t, "AFC request count")
    if not rn then return end
    local rqt = t:add(f_as.afcrequests, rn)
    for _ = 1, rn:uint() do
        if not str(c, rqt, 1, f_as.afcname, "AFC name") then return end
    end
    if c:left() > 0 then
        t:add_expert_info(PI_MALFORMED, PI_WARN, c:left() .. " trailing bytes")
    end
end

----------------------------------------------------------------------------------------------
-- aggregation baselines (model/aggregation-header.cc)

local AG_TYPES = { [1] = "TREE_FLOOD", [2] = "TREE_QUERY", [3] = "TREE_ECHO", [4] = "TREE_NACK",
                   [5] = "PUSH_SUM", [6] = "NAIVE_AVG", [7] = "TOP_C" }
local AG_FUNCTIONS = { [0] = "COUNT", [1] = "SUM", [2] = "AVG", [3] = "MIN", [4] = "MAX" }
local f_ag = {
    version = ProtoField.uint8("gossip.aggregation.version", "Version"),
    type = ProtoField.uint8("gossip.aggregation.type", "Type", base.DEC, AG_TYPES),
    query = ProtoField.uint32("gossip.aggregation.query", "Query id"),
    tree = ProtoField.uint32("gossip.aggregation.tree", "Tree id"),
    budget = ProtoField.uint32("gossip.aggregation.budget_us", "Budget (us)"),
    fn = ProtoField.uint8("gossip.aggregation.function", "Function", base.DEC, AG_FUNCTIONS),
    round = ProtoField.uint32("gossip.aggregation.round", "Round / hops"),
    root = ProtoField.ipv4("gossip.aggregation.root", "Root"),
    count = ProtoField.uint32("gossip.aggregation.count", "Count"),
    sum = ProtoField.double("gossip.aggregation.sum", "Sum"),
    min = ProtoField.double("gossip.aggregation.min", "Min"),
    argmin = ProtoField.uint32("gossip.aggregation.argmin", "Argmin node"),
    max = ProtoField.double("gossip.aggregation.max", "Max"),
    argmax = ProtoField.uint32("gossip.aggregation.argmax", "Argmax node"),
    partial = ProtoField.bool("gossip.aggregation.partial", "Partial"),
    missing = ProtoField.uint32("gossip.aggregation.missing", "Missing"),
    s = ProtoField.double("gossip.aggregation.s", "s (mass)"),
    w = ProtoField.double("gossip.aggregation.w", "w (weight)"),
    seq = ProtoField.uint32("gossip.aggregation.seq", "Running-sum seq"),
    value = ProtoField.double("gossip.aggregation.value", "Value"),
    nlargest = ProtoField.uint8("gossip.aggregation.largest", "Largest"),
    nsmallest = ProtoField.uint8("gossip.aggregation.smallest", "Smallest"),
    entryvalue = ProtoField.double("gossip.aggregation.entry.value", "Value"),
    entrynode = ProtoField.uint32("gossip.aggregation.entry.node", "Node"),
}
local ag_fields = {}
for _, f in pairs(f_ag) do
    ag_fields[#ag_fields + 1] = f
end
p_aggregation.fields = ag_fields

function p_aggregation.dissector(tvb, pinfo, tree)
    pinfo.cols.protocol = "AGGREGATION"
    local t = tree:add(p_aggregation, tvb())
    local c = cursor(tvb, t, pinfo)
    local rv = c:take(1, t, "version")
    local rt = c:take(1, t, "type")
    if not rt then
        return
    end
    t:add(f_ag.version, rv)
    t:add(f_ag.type, rt)
    local ty = rt:uint()
    local name = AG_TYPES[ty] or ("type " .. ty)
    t:append_text(", " .. name)
    pinfo.cols.info = name
    local function field(f, n, what)
        local r = c:take(n, t, what)
        if r then
            t:add(f, r)
        end
        return r
    end
    if ty == 1 or ty == 2 then
        field(f_ag.query, 4, "query id")
        field(f_ag.tree, 4, "tree id")
        field(f_ag.budget, 4, "budget")
        field(f_ag.fn, 1, "function")
        field(f_ag.round, 4, "hops")
        field(f_ag.root, 4, "root")
    elseif ty == 3 then
        field(f_ag.query, 4, "query id")
        field(f_ag.tree, 4, "tree id")
        field(f_ag.count, 4, "count")
        field(f_ag.sum, 8, "sum")
        field(f_ag.min, 8, "min")
        field(f_ag.argmin, 4, "argmin")
        field(f_ag.max, 8, "max")
        field(f_ag.argmax, 4, "argmax")
        field(f_ag.partial, 1, "partial")
        field(f_ag.missing, 4, "missing")
    elseif ty == 4 then
        field(f_ag.query, 4, "query id")
        field(f_ag.tree, 4, "tree id")
    elseif ty == 5 then
        field(f_ag.round, 4, "round")
        field(f_ag.s, 8, "s")
        field(f_ag.w, 8, "w")
        field(f_ag.seq, 4, "seq")
    elseif ty == 6 then
        field(f_ag.round, 4, "round")
        field(f_ag.value, 8, "value")
    elseif ty == 7 then
        field(f_ag.round, 4, "round")
        local rl = field(f_ag.nlargest, 1, "largest count")
        local rs = field(f_ag.nsmallest, 1, "smallest count")
        if not rs then
            return
        end
        for i = 1, rl:uint() + rs:uint() do
            local es = c.off
            local rvv = c:take(8, t, "entry value")
            local rn = c:take(4, t, "entry node")
            if not rn then
                return
            end
            local e = t:add(p_aggregation, c.tvb(es, 12),
                string.format("%s entry: node %d value %g", i <= rl:uint() and "Largest" or "Smallest", rn:uint(), rvv:float()))
            e:add(f_ag.entryvalue, rvv)
            e:add(f_ag.entrynode, rn)
        end
    else
        t:add_expert_info(PI_MALFORMED, PI_ERROR, "unknown aggregation type " .. ty)
    end
end

----------------------------------------------------------------------------------------------
-- registration by UDP port (the Applications' default Port attributes), changeable in the
-- preferences

local defaults = {
    { p_pbcast, 7946 }, { p_rmcast, 7947 }, { p_lpbcast, 7150 }, { p_astrolabe, 5405 },
    { p_aggregation, 9100 }, { p_aggregation, 9200 }, { p_aggregation, 9201 }, { p_aggregation, 9300 },
}
local udp = DissectorTable.get("udp.port")
for _, d in ipairs(defaults) do
    udp:add(d[2], d[1])
end
p_pbcast.prefs.port = Pref.uint("UDP port", 7946, "Port attribute of PbcastApplication")
p_lpbcast.prefs.port = Pref.uint("UDP port", 7150, "Port attribute of LpbcastApplication")
p_astrolabe.prefs.port = Pref.uint("UDP port", 5405, "Port attribute of AstrolabeAgent")
for _, p in ipairs({ p_pbcast, p_lpbcast, p_astrolabe }) do
    local current = p.prefs.port
    function p.prefs_changed()
        if p.prefs.port ~= current then
            udp:remove(current, p)
            udp:add(p.prefs.port, p)
            current = p.prefs.port
        end
    end
end

return M

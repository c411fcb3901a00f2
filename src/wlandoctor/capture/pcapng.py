"""Read pcapng block by block, keeping what ``dpkt.pcapng.Reader`` drops: each packet's interface.

dpkt's reader decodes every packet with the link type and time resolution of the file's first interface,
and passes over Simple Packet Blocks and later sections.  A capture taken on several interfaces at once
(``dumpcap -i wlan0mon -i eth0``: a monitor radio and the wired side of the same AP) holds packets of
several link types, so read that way the second interface's packets would be decoded as the first's.
Here every packet comes with its interface's link type and time stamps follow that interface's
``if_tsresol`` / ``if_tsoffset``; the blocks themselves are still parsed by dpkt's block classes.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import dpkt
from dpkt import pcapng

BYTE_ORDER_MAGIC = 0x1A2B3C4D
UNKNOWN_INTERFACE = -1  # the link type given to a packet whose interface the file never described
# Interfaces kept per section.  Real captures have a handful; a hostile file of nothing but interface
# blocks must not fill memory (their packets read as of an interface never described).
MAX_INTERFACES = 4096


@dataclass(frozen=True)
class Interface:
    linktype: int
    divisor: float  # time stamp units per second
    offset: int  # seconds added to every time stamp
    snaplen: int


class PcapngReader:
    """``for ts, data, linktype in PcapngReader(stream)``; ``linktypes()`` = the interfaces described
    before the first packet.  Raises ``ValueError`` when the file does not start with a readable section
    header, ``dpkt.NeedData``/``struct.error`` when a block is cut short (the caller reports where)."""

    def __init__(self, f: Any) -> None:
        self._f = f
        self._le = True
        self.interfaces: list[Interface] = []
        self._last_ts = 0.0
        self._section(f.read(8))
        # The interfaces are described before the packets that use them: read up to the first packet so
        # the caller can tell whether any of them is one it decodes.
        self._first: tuple[int, bytes] | None = None
        self._error: Exception | None = None
        try:
            while self._first is None:
                block = self._block()
                if block is None:
                    break
                if block[0] in (pcapng.PCAPNG_BT_EPB, pcapng.PCAPNG_BT_PB, pcapng.PCAPNG_BT_SPB):
                    self._first = block
                else:
                    self._other(*block)
        except (ValueError, struct.error, dpkt.dpkt.Error) as e:
            if not self.interfaces:
                raise
            self._error = e  # raised where the packets are read, so it is reported as the file's end

    def linktypes(self) -> list[int]:
        return [i.linktype for i in self.interfaces]

    def __iter__(self) -> Iterator[tuple[float, bytes, int]]:
        first, self._first = self._first, None
        if first is not None:
            yield self._packet(*first)
        if self._error is not None:
            raise self._error
        while (block := self._block()) is not None:
            kind, buf = block
            if kind in (pcapng.PCAPNG_BT_EPB, pcapng.PCAPNG_BT_PB, pcapng.PCAPNG_BT_SPB):
                yield self._packet(kind, buf)
            else:
                self._other(kind, buf)

    # ---- blocks ------------------------------------------------------------------------------------
    def _section(self, head: bytes) -> None:
        """A section header block starting with ``head`` (its type and length): byte order, interfaces
        reset (each section numbers its interfaces from 0)."""
        if len(head) < 8 or head[:4] != b"\x0a\x0d\x0d\x0a":
            raise ValueError("invalid pcapng header: not a section header block")
        bom = self._f.read(4)
        if len(bom) < 4:
            raise ValueError("pcapng section header cut short")
        if struct.unpack("<I", bom)[0] == BYTE_ORDER_MAGIC:
            self._le = True
        elif struct.unpack(">I", bom)[0] == BYTE_ORDER_MAGIC:
            self._le = False
        else:
            raise ValueError("pcapng section header: unknown byte order")
        length = struct.unpack("<I" if self._le else ">I", head[4:8])[0]
        if length < 28 or length % 4:
            raise ValueError(f"pcapng section header of impossible length {length}")
        rest = self._f.read(length - 12)
        major = struct.unpack_from("<H" if self._le else ">H", rest, 0)[0] if len(rest) >= 2 else None
        if major != pcapng.PCAPNG_VERSION_MAJOR:
            raise ValueError(f"unknown pcapng version {major}")
        self.interfaces = []

    def _block(self) -> tuple[int, bytes] | None:
        """(block type, whole block) of the next block, or None at the end of the file."""
        head = self._f.read(8)
        while head[:4] == b"\x0a\x0d\x0d\x0a":  # a new section, perhaps of the other byte order
            self._section(head)
            head = self._f.read(8)
        if len(head) < 8:
            if head:
                raise dpkt.NeedData(f"file ends inside a block header ({len(head)} of 8 bytes)")
            return None
        kind, length = struct.unpack("<II" if self._le else ">II", head)
        if length < 12 or length % 4:
            raise ValueError(f"block of impossible length {length}")
        buf = head + self._f.read(length - 8)
        if len(buf) < length:
            raise dpkt.NeedData(f"file ends inside a block ({len(buf)} of {length} bytes)")
        return kind, buf

    def _other(self, kind: int, buf: bytes) -> None:
        if kind == pcapng.PCAPNG_BT_IDB and len(self.interfaces) < MAX_INTERFACES:
            idb = (
                pcapng.InterfaceDescriptionBlockLE(buf) if self._le else pcapng.InterfaceDescriptionBlock(buf)
            )
            divisor, offset = 1e6, 0
            for opt in idb.opts:
                if opt.code == pcapng.PCAPNG_OPT_IF_TSRESOL and opt.data:
                    # MSB clear: a negative power of 10 (6 = microseconds); set: of 2
                    v = opt.data[0]
                    divisor = float((2 if v & 0x80 else 10) ** (v & 0x7F))
                elif opt.code == pcapng.PCAPNG_OPT_IF_TSOFFSET and len(opt.data) >= 8:
                    offset = struct.unpack_from("<q" if self._le else ">q", opt.data)[0]
            self.interfaces.append(Interface(idb.linktype, divisor, offset, idb.snaplen))
        # other blocks (name resolution, statistics, custom, decryption secrets) carry no packet

    def _packet(self, kind: int, buf: bytes) -> tuple[float, bytes, int]:
        if kind == pcapng.PCAPNG_BT_SPB:
            # A simple packet block: interface 0, no time stamp (the previous packet's is kept).
            (orig_len,) = struct.unpack_from("<I" if self._le else ">I", buf, 8)
            iface = self.interfaces[0] if self.interfaces else None
            cap_len = min(orig_len, len(buf) - 16, iface.snaplen if iface and iface.snaplen else orig_len)
            return self._last_ts, buf[12 : 12 + cap_len], iface.linktype if iface else UNKNOWN_INTERFACE
        if kind == pcapng.PCAPNG_BT_EPB:
            blk: Any = pcapng.EnhancedPacketBlockLE(buf) if self._le else pcapng.EnhancedPacketBlock(buf)
        else:
            blk = pcapng.PacketBlockLE(buf) if self._le else pcapng.PacketBlock(buf)
        if blk.iface_id >= len(self.interfaces):
            return self._last_ts, blk.pkt_data, UNKNOWN_INTERFACE
        iface = self.interfaces[blk.iface_id]
        ts = iface.offset + ((blk.ts_high << 32) | blk.ts_low) / iface.divisor
        self._last_ts = ts
        return ts, blk.pkt_data, iface.linktype

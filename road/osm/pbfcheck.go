package osm

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Limits of the OSM PBF format (wiki.openstreetmap.org/wiki/PBF_Format):
// a BlobHeader is under 64 KiB and a Blob, compressed or not, at most
// 32 MiB.
const (
	maxBlobHeaderSize = 64 * 1024
	maxBlobSize       = 32 * 1024 * 1024
)

// checkPBF walks the file-block framing of a PBF stream and checks every
// block before the decoder sees it: sizes within the format's limits, a
// known block type, a supported compression and, for zlib blocks, a
// decompressed size that matches raw_size. The decoder trusts raw_size to
// allocate and reads zlib data to its end, so a corrupt or hostile file
// could otherwise make it allocate gigabytes. It returns the number of
// data blocks.
func checkPBF(ctx context.Context, r io.Reader, procs int) (int, error) {
	// The framing is read here; zlib blocks are inflated by procs workers.
	jobs := make(chan inflateJob, 2*procs)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	firstBlock := -1
	fail := func(block int, err error) {
		mu.Lock()
		if firstBlock < 0 || block < firstBlock {
			firstBlock, firstErr = block, err
		}
		mu.Unlock()
	}
	for w := 0; w < max(procs, 1); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var zr io.ReadCloser
			for j := range jobs {
				if err := j.check(&zr); err != nil {
					fail(j.block, err)
				}
			}
		}()
	}
	n, err := readFraming(ctx, r, jobs)
	close(jobs)
	wg.Wait()
	if err != nil {
		return 0, err
	}
	if firstErr != nil {
		return 0, firstErr
	}
	return n, nil
}

// inflateJob is a zlib block to inflate and measure.
type inflateJob struct {
	block   int
	offset  int64
	data    []byte
	rawSize int64
}

func (j inflateJob) check(zr *io.ReadCloser) error {
	var err error
	if *zr == nil {
		*zr, err = zlib.NewReader(bytes.NewReader(j.data))
	} else {
		err = (*zr).(zlib.Resetter).Reset(bytes.NewReader(j.data), nil)
	}
	if err != nil {
		return fmt.Errorf("block %d at byte %d: zlib: %v", j.block, j.offset, err)
	}
	n, err := io.Copy(io.Discard, io.LimitReader(*zr, j.rawSize+1))
	if err != nil {
		return fmt.Errorf("block %d at byte %d: zlib: %v", j.block, j.offset, err)
	}
	if n != j.rawSize {
		return fmt.Errorf("block %d at byte %d: decompresses to %d bytes, raw_size says %d", j.block, j.offset, n, j.rawSize)
	}
	return nil
}

// readFraming checks the block framing and sends zlib blocks to jobs.
func readFraming(ctx context.Context, r io.Reader, jobs chan<- inflateJob) (int, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var (
		offset int64
		blocks int
		size   [4]byte
		header []byte
		blob   []byte
	)
	for i := 0; ; i++ {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if _, err := io.ReadFull(br, size[:]); err == io.EOF {
			if i == 0 {
				return 0, errors.New("empty file")
			}
			return blocks, nil
		} else if err != nil {
			return 0, fmt.Errorf("truncated at byte %d: incomplete block header length", offset)
		}
		hlen := binary.BigEndian.Uint32(size[:])
		if hlen == 0 || hlen >= maxBlobHeaderSize {
			return 0, fmt.Errorf("block %d at byte %d: header length %d is not a PBF block header (limit 64 KiB)", i, offset, hlen)
		}
		header = grow(header, int(hlen))
		if _, err := io.ReadFull(br, header); err != nil {
			return 0, fmt.Errorf("truncated at byte %d: block %d header needs %d bytes", offset+4, i, hlen)
		}
		typ, datasize, err := parseBlobHeader(header)
		if err != nil {
			return 0, fmt.Errorf("block %d at byte %d: bad header: %v", i, offset, err)
		}
		switch {
		case i == 0 && typ != "OSMHeader":
			return 0, fmt.Errorf("first block is %q, not OSMHeader", typ)
		case i > 0 && typ != "OSMData":
			return 0, fmt.Errorf("block %d at byte %d: unexpected block type %q", i, offset, typ)
		case datasize <= 0 || datasize > maxBlobSize:
			return 0, fmt.Errorf("block %d at byte %d: blob size %d outside 1..32 MiB", i, offset, datasize)
		}
		blob = grow(blob, int(datasize))
		if _, err := io.ReadFull(br, blob); err != nil {
			return 0, fmt.Errorf("truncated at byte %d: block %d needs %d bytes of data", offset+4+int64(hlen), i, datasize)
		}
		raw, rawSize, zdata, other, err := parseBlob(blob)
		if err != nil {
			return 0, fmt.Errorf("block %d at byte %d: bad blob: %v", i, offset, err)
		}
		switch {
		case other != "":
			return 0, fmt.Errorf("block %d at byte %d: %s compression is not supported (re-encode with zlib, e.g. osmium cat -o out.osm.pbf in.osm.pbf)", i, offset, other)
		case raw != nil:
			if len(raw) > maxBlobSize {
				return 0, fmt.Errorf("block %d at byte %d: raw blob over 32 MiB", i, offset)
			}
		case zdata != nil:
			if rawSize <= 0 || rawSize > maxBlobSize {
				return 0, fmt.Errorf("block %d at byte %d: raw_size %d outside 1..32 MiB", i, offset, rawSize)
			}
			jobs <- inflateJob{block: i, offset: offset, data: bytes.Clone(zdata), rawSize: rawSize}
		default:
			return 0, fmt.Errorf("block %d at byte %d: blob holds no data", i, offset)
		}
		if i > 0 {
			blocks++
		}
		offset += 4 + int64(hlen) + int64(datasize)
	}
}

func grow(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}

// parseBlobHeader reads fields 1 (type) and 3 (datasize) of a BlobHeader.
func parseBlobHeader(b []byte) (typ string, datasize int64, err error) {
	seenType, seenSize := false, false
	err = protoFields(b, func(field int, wire int, v uint64, data []byte) error {
		switch {
		case field == 1 && wire == 2:
			typ, seenType = string(data), true
		case field == 3 && wire == 0:
			datasize, seenSize = int64(int32(v)), true
		}
		return nil
	})
	if err == nil && (!seenType || !seenSize) {
		err = errors.New("missing type or datasize")
	}
	return typ, datasize, err
}

// parseBlob reads a Blob: raw data, raw_size and zlib data; other names
// any other compression present.
func parseBlob(b []byte) (raw []byte, rawSize int64, zdata []byte, other string, err error) {
	names := map[int]string{4: "lzma", 5: "bzip2", 6: "lz4", 7: "zstd"}
	err = protoFields(b, func(field int, wire int, v uint64, data []byte) error {
		switch {
		case field == 1 && wire == 2:
			raw = data
		case field == 2 && wire == 0:
			rawSize = int64(int32(v))
		case field == 3 && wire == 2:
			zdata = data
		case wire == 2 && names[field] != "":
			other = names[field]
		}
		return nil
	})
	return raw, rawSize, zdata, other, err
}

// protoFields calls fn for each field of a protobuf message.
func protoFields(b []byte, fn func(field, wire int, v uint64, data []byte) error) error {
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return errors.New("bad field key")
		}
		b = b[n:]
		field, wire := int(key>>3), int(key&7)
		if field == 0 {
			return errors.New("field number 0")
		}
		var v uint64
		var data []byte
		switch wire {
		case 0:
			v, n = binary.Uvarint(b)
			if n <= 0 {
				return errors.New("bad varint")
			}
			b = b[n:]
		case 1:
			if len(b) < 8 {
				return errors.New("short fixed64")
			}
			b = b[8:]
		case 2:
			l, n := binary.Uvarint(b)
			if n <= 0 || l > uint64(len(b)-n) {
				return errors.New("bad length")
			}
			data = b[n : n+int(l)]
			b = b[n+int(l):]
		case 5:
			if len(b) < 4 {
				return errors.New("short fixed32")
			}
			b = b[4:]
		default:
			return fmt.Errorf("wire type %d", wire)
		}
		if err := fn(field, wire, v, data); err != nil {
			return err
		}
	}
	return nil
}

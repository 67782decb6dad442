package bus

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/govreport/govreport/pkg/rawdoc"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// PublishRaw publishes a raw document to RAW. A body larger than the configured
// inline limit is first stored in the object store under its SHA-256 and the message
// carries the reference. The message ID is the document and body hash, so a retried
// publish of the same fetch is stored once.
func (b *Bus) PublishRaw(ctx context.Context, doc *rawdoc.Document) (*jetstream.PubAck, error) {
	msgDoc := *doc
	if len(doc.Body) > b.cfg.MaxInlineBody {
		obs, err := b.JS.ObjectStore(ctx, RawBodiesBucket)
		if err != nil {
			return nil, fmt.Errorf("open object store %s: %w", RawBodiesBucket, err)
		}
		name := doc.SHA256
		if _, err := obs.GetInfo(ctx, name); errors.Is(err, jetstream.ErrObjectNotFound) {
			if _, err := obs.Put(ctx, jetstream.ObjectMeta{Name: name}, bytes.NewReader(doc.Body)); err != nil {
				return nil, fmt.Errorf("store body of %s: %w", doc.URL, err)
			}
		} else if err != nil {
			return nil, fmt.Errorf("look up body of %s: %w", doc.URL, err)
		}
		msgDoc.Body, msgDoc.BodyRef = nil, name
	}
	data, err := msgDoc.Marshal()
	if err != nil {
		return nil, fmt.Errorf("encode raw document %s: %w", doc.URL, err)
	}
	msg := nats.NewMsg(RawSubject(regionProvince(doc.Site.Code), doc.Site.ID))
	msg.Data = data
	msg.Header.Set(HeaderDocID, doc.DocID)
	msg.Header.Set(jetstream.MsgIDHeader, doc.DocID+":"+doc.SHA256)
	ack, err := b.JS.PublishMsg(ctx, msg)
	if err != nil {
		return nil, fmt.Errorf("publish raw document %s: %w", doc.URL, err)
	}
	return ack, nil
}

// LoadBody fills doc.Body from the object store when the message carried a reference.
func (b *Bus) LoadBody(ctx context.Context, doc *rawdoc.Document) error {
	return loadBody(ctx, b.JS, doc)
}

func loadBody(ctx context.Context, js jetstream.JetStream, doc *rawdoc.Document) error {
	if len(doc.Body) > 0 || doc.BodyRef == "" {
		return nil
	}
	obs, err := js.ObjectStore(ctx, RawBodiesBucket)
	if err != nil {
		return fmt.Errorf("open object store %s: %w", RawBodiesBucket, err)
	}
	body, err := obs.GetBytes(ctx, doc.BodyRef)
	if err != nil {
		return fmt.Errorf("load body %s of %s: %w", doc.BodyRef, doc.URL, err)
	}
	if rawdoc.Hash(body) != doc.SHA256 {
		return fmt.Errorf("body %s of %s does not match its sha256", doc.BodyRef, doc.URL)
	}
	doc.Body = body
	return nil
}

// ErrArchiveMissing is returned by ArchivedDocument when the RAW stream no longer
// holds the message (aged out, purged, or the stream was rebuilt).
var ErrArchiveMissing = errors.New("archived raw document not found")

// ArchivedDocument reads the raw document stored at seq in the RAW stream, with its
// body (from the object store when the message carried a reference).
func ArchivedDocument(ctx context.Context, js jetstream.JetStream, seq uint64) (*rawdoc.Document, error) {
	st, err := js.Stream(ctx, StreamRaw)
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", StreamRaw, err)
	}
	m, err := st.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil, fmt.Errorf("%s seq %d: %w", StreamRaw, seq, ErrArchiveMissing)
	}
	if err != nil {
		return nil, fmt.Errorf("get %s seq %d: %w", StreamRaw, seq, err)
	}
	doc, err := rawdoc.Unmarshal(m.Data)
	if err != nil {
		return nil, fmt.Errorf("decode %s seq %d: %w", StreamRaw, seq, err)
	}
	if err := loadBody(ctx, js, doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// regionProvince returns the 2-digit province code of a division code, or Unknown.
func regionProvince(code string) string {
	if len(code) >= 2 {
		return code[:2]
	}
	return Unknown
}

// ProvinceToken returns the subject token for the province of a division code.
func ProvinceToken(code string) string { return regionProvince(code) }

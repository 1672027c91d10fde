// Package batch renders many reports at once for archives: from files,
// directories, zip archives and NDJSON streams, in parallel, into a
// directory tree or a streamed zip, with a manifest that records the SHA-256
// of every input and output so that the archive can be trusted and
// re-checked later.
//
// The directory mode (Run) is crash-safe and resumable: every output and
// every manifest checkpoint is written to a temporary file, synced and
// renamed, and a run over the same inputs skips every input whose recorded
// input hash and output hashes still match. Output is deterministic: the
// same inputs give byte-identical outputs and manifest, which holds no
// timing. --shard i/n splits a national archive across machines by input
// hash (README.md).
//
// Zip input is untrusted: entries escaping the folder, zip bombs (entry
// count, total size, compression ratio, overlapping entries), duplicate and
// non-UTF-8 names are each rejected with a clear error (zipsafe.go).
package batch

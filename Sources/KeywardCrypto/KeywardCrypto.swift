// KeywardCrypto: Keyward's one crypto stack, Swift types over OpenSSL 3's EVP API.
//
// What lives here: RSA key generation; reading and writing RSA keys as PEM, DER and the
// bare single-line base64 form that the Alipay dashboards and SDK configuration fields
// use, in PKCS#1, PKCS#8 and SubjectPublicKeyInfo structures, with the input form detected
// automatically; RSA2 (SHA256withRSA) signing and verification, plus verify-only legacy
// SHA1withRSA; AES-256-GCM; scrypt and HKDF-SHA256; a CSPRNG; SHA-256 fingerprints; and
// `SecretBytes`, the only container secret material is kept in.
//
// Guarantees: no OpenSSL type appears in a public signature; every OpenSSL object is owned
// by exactly one Swift value that frees it; secret bytes are cleansed when released and
// never printed; every failure is a `CryptoError` with a stable code, a message and a hint.

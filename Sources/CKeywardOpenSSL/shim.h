// The wall between Keyward and OpenSSL 3. Swift imports the EVP functions directly;
// this header only adds static inline wrappers for what Swift cannot import
// (function-like macros). Every symbol here is prefixed CKeywardOpenSSL_.
#ifndef CKEYWARD_OPENSSL_SHIM_H
#define CKEYWARD_OPENSSL_SHIM_H

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/pem.h>
#include <openssl/hmac.h>

// OPENSSL_free and OPENSSL_clear_free are macros that pass __FILE__/__LINE__.
static inline void CKeywardOpenSSL_free(void *pointer) {
    OPENSSL_free(pointer);
}

static inline void CKeywardOpenSSL_clearFree(void *pointer, size_t length) {
    OPENSSL_clear_free(pointer, length);
}

// The OSSL_KDF_PARAM_* names are string macros; Swift imports them, but as
// arrays of CChar that are awkward to pass as C strings. These return them.
static inline const char *CKeywardOpenSSL_kdfParamDigest(void) { return OSSL_KDF_PARAM_DIGEST; }
static inline const char *CKeywardOpenSSL_kdfParamKey(void) { return OSSL_KDF_PARAM_KEY; }
static inline const char *CKeywardOpenSSL_kdfParamSalt(void) { return OSSL_KDF_PARAM_SALT; }
static inline const char *CKeywardOpenSSL_kdfParamInfo(void) { return OSSL_KDF_PARAM_INFO; }
static inline const char *CKeywardOpenSSL_kdfParamPassword(void) { return OSSL_KDF_PARAM_PASSWORD; }
static inline const char *CKeywardOpenSSL_kdfParamScryptN(void) { return OSSL_KDF_PARAM_SCRYPT_N; }
static inline const char *CKeywardOpenSSL_kdfParamScryptR(void) { return OSSL_KDF_PARAM_SCRYPT_R; }
static inline const char *CKeywardOpenSSL_kdfParamScryptP(void) { return OSSL_KDF_PARAM_SCRYPT_P; }
static inline const char *CKeywardOpenSSL_kdfParamScryptMaxMem(void) { return OSSL_KDF_PARAM_SCRYPT_MAXMEM; }

// STACK_OF(X509) is handled through macros.
static inline STACK_OF(X509) *CKeywardOpenSSL_certificateStack(void) { return sk_X509_new_null(); }
static inline int CKeywardOpenSSL_certificateStackPush(STACK_OF(X509) *stack, X509 *certificate) {
    return sk_X509_push(stack, certificate);
}
// Frees the stack only: the certificates belong to their Swift owners.
static inline void CKeywardOpenSSL_certificateStackFree(STACK_OF(X509) *stack) { sk_X509_free(stack); }

#endif

// One Key Vault secret from a secure value; the apps reference it by its URL, so the value never leaves the vault.
param vaultName string
param name string

@secure()
param value string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: vaultName
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: name
  properties: {
    value: value
  }
}

@description('The versionless URL of the secret (its value is not in it).')
output url string = secret.properties.secretUri

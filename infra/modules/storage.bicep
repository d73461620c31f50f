// Blob storage for the values above the inline threshold: HTTPS and TLS 1.2 only, no anonymous access, and the
// container the services use by default (Blobs:Container, "values"). The connection string with the account key goes
// into Key Vault whole; only its URL comes out.
param location string
param tags object
@minLength(13)
param resourceToken string
param vaultName string

@description('The container the services keep values in (the services\' default is "values").')
param containerName string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${resourceToken}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    // The services authenticate with the account key (an Azure Storage connection string, as Azurite's locally).
    allowSharedKeyAccess: true
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: containerName
  properties: {
    publicAccess: 'None'
  }
}

module connectionString 'vault-secret.bicep' = {
  name: 'secret-connectionstrings-blobs'
  params: {
    vaultName: vaultName
    name: 'connectionstrings-blobs'
    value: 'DefaultEndpointsProtocol=https;AccountName=${account.name};AccountKey=${account.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

output accountName string = account.name
output containerName string = container.name
output connectionStringUrl string = connectionString.outputs.url

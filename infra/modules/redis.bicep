// Azure Cache for Redis on TLS only (port 6380, TLS 1.2 at least). The StackExchange.Redis connection string with the
// access key goes into Key Vault whole; only its URL comes out.
param location string
param tags object
@minLength(13)
param resourceToken string
param vaultName string
param skuName string
param skuFamily string
param capacity int

resource cache 'Microsoft.Cache/redis@2024-03-01' = {
  name: 'redis-${resourceToken}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: skuName
      family: skuFamily
      capacity: capacity
    }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    redisVersion: '6'
  }
}

module connectionString 'vault-secret.bicep' = {
  name: 'secret-connectionstrings-redis'
  params: {
    vaultName: vaultName
    name: 'connectionstrings-redis'
    value: '${cache.properties.hostName}:${cache.properties.sslPort},password=${cache.listKeys().primaryKey},ssl=True,abortConnect=False'
  }
}

output cacheName string = cache.name
output connectionStringUrl string = connectionString.outputs.url

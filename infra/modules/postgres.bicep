// PostgreSQL flexible server with TLS required and the graphexec database. The connection string (with its
// password) goes into Key Vault whole; only its URL comes out.
param location string
param tags object
@minLength(13)
param resourceToken string
param vaultName string

@description('The administrator the services connect as.')
param administratorLogin string

@secure()
param administratorPassword string

param skuName string
param skuTier string
param storageSizeGB int

var databaseName = 'graphexec'

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: 'psql-${resourceToken}'
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: '16'
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorPassword
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
  }
}

// Refuses every connection that is not TLS (it is on by default; stated so that nobody turns it off by accident).
resource requireTls 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'require_secure_transport'
  properties: {
    value: 'on'
    source: 'user-override'
  }
}

resource minimumTls 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'ssl_min_protocol_version'
  properties: {
    value: 'TLSv1.2'
    source: 'user-override'
  }
  dependsOn: [requireTls]
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [minimumTls]
}

// Container Apps on the environment's generated network have no fixed outbound address: allow Azure's own addresses
// (0.0.0.0 is Azure's convention for that); a custom VNet with a private endpoint is the stricter option.
resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

module connectionString 'vault-secret.bicep' = {
  name: 'secret-connectionstrings-graphexec'
  params: {
    vaultName: vaultName
    name: 'connectionstrings-graphexec'
    // Npgsql's form; the password is quoted so that any character it holds stays inside it.
    value: 'Host=${server.properties.fullyQualifiedDomainName};Port=5432;Database=${database.name};Username=${administratorLogin};Password="${replace(administratorPassword, '"', '""')}";SSL Mode=Require'
  }
}

output serverName string = server.name
output connectionStringUrl string = connectionString.outputs.url

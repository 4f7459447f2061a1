package rules

// Builtin returns the built-in rule packs, the defaults every policy starts
// from. Each call returns fresh packs.
func Builtin() []*Pack {
	return []*Pack{
		MetaPack(),
		FSPack(),
		SelfPack(),
		GitPack(),
		HTTPPack(),
		CloudPack(),
		PaaSPack(),
		IaCPack(),
		K8sPack(),
		ContainersPack(),
		RegistryPack(),
		SQLPack(),
		KVPack(),
		MigrationsPack(),
		SystemPack(),
		InterpPack(),
		CredsPack(),
		SecretsPack(),
		BackupPack(),
		MessagingPack(),
		ObjStorePack(),
		ForgePack(),
		DBaaSPack(),
		HostingPack(),
		VolumesPack(),
		CDNPack(),
		SaaSPack(),
		DNSPack(),
		RemotePack(),
		AccessPack(),
	}
}

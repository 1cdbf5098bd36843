/work/main/drivers/net/ethernet/vhca/sim/bus.o
/work/main/drivers/net/ethernet/vhca/sim/dev.o
/work/main/drivers/net/ethernet/vhca/sim/cmd.o
/work/main/drivers/net/ethernet/vhca/sim/eq.o
/work/main/drivers/net/ethernet/vhca/sim/dma.o
/work/main/drivers/net/ethernet/vhca/sim/debugfs.o
